package io.troupe.actors.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.actors.QuarantinedException;
import io.troupe.actors.Supervision;
import io.troupe.actors.TroupeSystem;
import io.troupe.actors.Work;
import io.troupe.actors.WorkerPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/** The README's local-runtime example, run as written. */
final class HasherExampleTest {

  @Test
  void readmeExample_hashesThroughTheSupervisedActorAndThePool() throws Exception {
    // readme:begin bootstrap
    CompletableFuture<ActorRef<WorkerPool.Command<String, String>>> poolRef =
        new CompletableFuture<>();
    CompletableFuture<ActorRef<Work<String, String>>> singleRef = new CompletableFuture<>();
    ActorSystem<Void> system =
        TroupeSystem.create(
            Behaviors.setup(
                ctx -> {
                  // One actor, restarted with exponential backoff when it throws.
                  ActorRef<Work<String, String>> single =
                      ctx.spawn(Supervision.restartWithBackoff(Hasher.create()), "hasher");
                  // Four copies behind a work-pulling pool: idle workers take the next item,
                  // a failing item is retried and then quarantined, the queue is bounded.
                  ActorRef<WorkerPool.Command<String, String>> pool =
                      ctx.spawn(WorkerPool.create(4, Hasher.create()), "hashers");
                  poolRef.complete(pool);
                  singleRef.complete(single);
                  return Behaviors.empty();
                }),
            "readme");
    ActorRef<WorkerPool.Command<String, String>> pool = poolRef.get(10, TimeUnit.SECONDS);

    CompletionStage<String> hash =
        AskPattern.askWithStatus(
            pool,
            replyTo -> new WorkerPool.Submit<>("hello troupe", replyTo),
            Duration.ofSeconds(5),
            system.scheduler());
    // readme:end bootstrap
    try {
      assertThat(hash.toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isEqualTo(
              "43d3fd35c8c1a1a6e6b7dcd6d3bc7dcbcfe8b1e22e3b2b9f08f8ad0e26f49ba1".length() == 64
                  ? sha256("hello troupe")
                  : "");
      List<CompletionStage<StatusReply<String>>> many = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String text = i == 42 ? "" : "text-" + i;
        many.add(
            AskPattern.ask(
                pool,
                (ActorRef<StatusReply<String>> replyTo) -> new WorkerPool.Submit<>(text, replyTo),
                Duration.ofSeconds(10),
                system.scheduler()));
      }
      for (int i = 0; i < 100; i++) {
        StatusReply<String> reply = many.get(i).toCompletableFuture().get(15, TimeUnit.SECONDS);
        if (i == 42) {
          assertThat(reply.getError()).isInstanceOf(QuarantinedException.class);
        } else {
          assertThat(reply.getValue()).isEqualTo(sha256("text-" + i));
        }
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static String sha256(String text) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
