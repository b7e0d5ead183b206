package io.troupe.bench.failures;

import com.typesafe.config.ConfigFactory;
import io.troupe.actors.Sinks;
import io.troupe.actors.StagePipeline;
import io.troupe.actors.StageStats;
import io.troupe.actors.TroupeSystem;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The stage-pipeline case: {@link Lines} through a parsing and a scoring stage of 2 workers each,
 * with the shipped settings of {@code troupe.actors}, on an actor system started by {@link
 * TroupeSystem}. A system whose pipeline did not finish in time is replaced.
 */
final class StageVariants implements AutoCloseable {

  static final int LINES = 20_000;
  static final int BAD_EVERY = 250;
  static final int MIX = 40_000;

  private ActorSystem<Void> system;
  private int runs;

  private StageVariants() {}

  static StageVariants start() {
    return new StageVariants();
  }

  String description() {
    return String.format(
        Locale.ROOT,
        "Stages: a `StagePipeline` of %,d generated lines through `parse` (splits a line into"
            + " words; throws on a malformed one) and `score` (hashes the words, mixed %,d times),"
            + " 2 workers each, default `troupe.actors` settings, folded by a sink; with failures"
            + " %d lines (1 in %d) are malformed, each tried 3 times and quarantined; clean: none",
        LINES,
        MIX,
        LINES / BAD_EVERY,
        BAD_EVERY);
  }

  FailuresBench.Variant clean() {
    return variant("clean", 0);
  }

  FailuresBench.Variant failing() {
    return variant("with failures", BAD_EVERY);
  }

  private FailuresBench.Variant variant(String label, int badEvery) {
    Lines.Tally expected = Lines.expected(LINES, badEvery, MIX);
    return new FailuresBench.Variant() {
      @Override
      public String label() {
        return label;
      }

      @Override
      public long run(Duration timeout) throws Exception {
        if (system == null) {
          system = TroupeSystem.create(Behaviors.empty(), "bench-stages", ConfigFactory.empty());
        }
        int run = ++runs;
        CompletableFuture<Lines.Tally> result = new CompletableFuture<>();
        ActorRef<Lines.Tally> collector =
            system.systemActorOf(
                Behaviors.<Lines.Tally>receiveMessage(
                    tally -> {
                      result.complete(tally);
                      return Behaviors.stopped();
                    }),
                "collector-" + run,
                Props.empty());
        Behavior<StagePipeline.Command> pipeline =
            StagePipeline.from(Lines.of(LINES, badEvery))
                .via("parse", 2, Lines.parser())
                .via("score", 2, Lines.scorer(MIX))
                .to(Sinks.fold(new Lines.Tally(0, 0), Lines.Tally::add, collector));
        long start = System.nanoTime();
        ActorRef<StagePipeline.Command> running =
            system.systemActorOf(pipeline, "lines-" + run, Props.empty());
        Lines.Tally tally;
        try {
          tally = result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          String progress = progress(running);
          close();
          throw new TimeoutException(progress);
        }
        long nanos = System.nanoTime() - start;
        if (!tally.equals(expected)) {
          throw new IllegalStateException(
              "the pipeline's sink got " + tally + ", expected " + expected);
        }
        return nanos;
      }
    };
  }

  /** Describes how far a pipeline got, for the report of a run that did not finish. */
  private String progress(ActorRef<StagePipeline.Command> running) {
    try {
      List<StageStats> stats =
          AskPattern.<StagePipeline.Command, List<StageStats>>ask(
                  running, StagePipeline.GetStats::new, Duration.ofSeconds(10), system.scheduler())
              .toCompletableFuture()
              .get(15, TimeUnit.SECONDS);
      StringBuilder out = new StringBuilder();
      for (StageStats s : stats) {
        out.append(out.length() == 0 ? "" : "; ")
            .append(
                String.format(
                    Locale.ROOT,
                    "%s emitted %,d, retried %,d, quarantined %,d",
                    s.name(),
                    s.emitted(),
                    s.retried(),
                    s.quarantined()));
      }
      return out.toString();
    } catch (Exception e) {
      return "progress unknown: " + e;
    }
  }

  @Override
  public void close() {
    if (system != null) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        System.err.println("bench-stages did not terminate: " + e);
      }
      system = null;
    }
  }
}
