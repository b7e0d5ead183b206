package io.troupe.bench.scale;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.bench.Configurations;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.LoggerFactory;

/**
 * One idle-actors case of {@link ScaleBench}, run in a JVM of its own: spawns N trivial typed
 * actors in one actor system, sends each one message, waits until every one has handled it, and
 * prints the live heap they hold as one {@link CaseResult} line on stdout.
 *
 * <p>The system is Troupe's ({@link Configurations#troupe}, what {@code TroupeSystem} starts) or
 * Pekko's out of the box ({@link Configurations#pekkoDefault}); the actor code is the same. All
 * actors are children of one spawner, which spawns them in batches of 10,000 so the messages are
 * handled while it spawns. An actor's behavior is one shared instance that counts a latch down, so
 * the heap measured is what the runtime keeps per actor: its cell, mailbox, typed adapter and its
 * entry in its parent's children.
 */
public final class IdleActorsCase {

  private static final int BATCH = 10_000;

  /** What every idle actor does with its one message. */
  private static final Behavior<Ping> IDLE =
      Behaviors.receiveMessage(
          ping -> {
            ping.handled().countDown();
            return Behaviors.same();
          });

  /**
   * The one message each actor gets; no reply.
   *
   * @param handled counted down by the actor that handles it
   */
  record Ping(CountDownLatch handled) {}

  /**
   * Tells the spawner to spawn actors and ping each; no reply.
   *
   * @param remaining actors still to spawn
   * @param handled the latch each actor's ping counts down
   */
  record Spawn(int remaining, CountDownLatch handled) {}

  private IdleActorsCase() {}

  /**
   * Runs the case.
   *
   * @param args {@code --system troupe|pekko --actors N --timeout SECONDS}
   */
  public static void main(String[] args) throws InterruptedException {
    // Start logging before the actor system does, so SLF4J has nothing to replay.
    LoggerFactory.getILoggerFactory();
    Map<String, String> a = CaseResult.arguments(args);
    String which = a.get("--system");
    int actors = Integer.parseInt(a.get("--actors"));
    Duration timeout = Duration.ofSeconds(Long.parseLong(a.get("--timeout")));
    Config silent = ConfigFactory.parseString("pekko.loglevel = WARNING");
    Config config =
        switch (which) {
          case "troupe" -> Configurations.troupe(silent);
          case "pekko" -> silent.withFallback(Configurations.pekkoDefault());
          default -> throw new IllegalArgumentException("--system takes troupe or pekko");
        };
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("system", which);
    out.put("actors", actors);
    ActorSystem<Spawn> system = ActorSystem.create(spawner(), "idle-" + which, config);
    try {
      LiveHeap.Reading baseline = LiveHeap.measure();
      CountDownLatch handled = new CountDownLatch(actors);
      long t0 = System.nanoTime();
      CaseResult.progress("while spawning");
      system.tell(new Spawn(actors, handled));
      if (!handled.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        out.put(CaseResult.OUTCOME, CaseResult.TIMEOUT);
        out.put(
            "detail",
            String.format(
                Locale.ROOT,
                "timed out after %d s (%,d of %,d actors handled their message)",
                timeout.toSeconds(),
                actors - handled.getCount(),
                actors));
        CaseResult.print(out);
        Runtime.getRuntime().halt(0);
      }
      long nanos = System.nanoTime() - t0;
      CaseResult.progress("at the full GC after spawning");
      LiveHeap.Reading live = LiveHeap.measure();
      out.put("spawnNanos", nanos);
      out.put("baselineBytes", baseline.bytes());
      out.put("liveBytes", live.bytes());
      out.put("fullGcNanos", live.pauseNanos());
      out.put(CaseResult.OUTCOME, CaseResult.OK);
    } catch (RuntimeException e) {
      out.put(CaseResult.OUTCOME, CaseResult.FAILED);
      out.put("detail", e.toString());
    }
    CaseResult.print(out);
    // Stopping a million actors one by one takes minutes and measures nothing.
    Runtime.getRuntime().halt(0);
  }

  private static Behavior<Spawn> spawner() {
    return Behaviors.setup(
        ctx ->
            Behaviors.receiveMessage(
                spawn -> {
                  int batch = Math.min(BATCH, spawn.remaining());
                  for (int i = 0; i < batch; i++) {
                    ctx.spawnAnonymous(IDLE).tell(new Ping(spawn.handled()));
                  }
                  if (spawn.remaining() > batch) {
                    ctx.getSelf().tell(new Spawn(spawn.remaining() - batch, spawn.handled()));
                  }
                  return Behaviors.same();
                }));
  }
}
