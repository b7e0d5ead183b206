package io.troupe.cluster.internal;

import io.troupe.persistence.registry.JobRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Writes where this node's coordinators' jobs stand to the job registry (internal API), off the
 * coordinators' threads and in batches.
 *
 * <p>Implementation notes: one per node. Only the latest record of a job waits here, so a job that
 * reports its progress every second costs one row update per flush, and the memory held is one
 * record per job with something unwritten. A record whose state differs from the last one written
 * for its job (a job starting, running, ending) is written at once, so that admission and the
 * wake-up after a restart see it; progress alone waits for the flush interval. One write is in
 * flight at a time, on the blocking dispatcher; a failed write keeps its records (unless newer ones
 * came) and is tried again after the interval.
 */
public final class RegistryWriter {

  private RegistryWriter() {}

  /** Messages the writer understands. */
  public sealed interface Command {}

  /**
   * Records where a job stands; no reply.
   *
   * @param job the job
   * @param addIfMissing true to add the job if the registry lacks it; false for the end of a job
   *     this node did not run (a coordinator woken for a job over long ago, maybe purged)
   */
  public record Record(JobRegistry.Job job, boolean addIfMissing) implements Command {}

  private record Written(List<Record> records, Throwable error) implements Command {}

  private enum Flush implements Command {
    INSTANCE
  }

  /**
   * Creates the writer of a node.
   *
   * @param registry the registry
   * @param blocking where the writes run
   * @param interval how long progress may wait to be written
   * @return the behavior
   */
  public static Behavior<Command> create(
      JobRegistry registry, Executor blocking, Duration interval) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new State(ctx, timers, registry, blocking, interval).behavior()));
  }

  private static final class State {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final JobRegistry registry;
    private final Executor blocking;
    private final Duration interval;
    private final Map<String, Record> waiting = new HashMap<>();
    private final Map<String, String> writtenStates = new HashMap<>();
    private boolean writing;
    private int failures;

    State(
        ActorContext<Command> ctx,
        TimerScheduler<Command> timers,
        JobRegistry registry,
        Executor blocking,
        Duration interval) {
      this.ctx = ctx;
      this.timers = timers;
      this.registry = registry;
      this.blocking = blocking;
      this.interval = interval;
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Record.class, this::onRecord)
          .onMessageEquals(Flush.INSTANCE, this::onFlush)
          .onMessage(Written.class, this::onWritten)
          .build();
    }

    private Behavior<Command> onRecord(Record record) {
      JobRegistry.Job job = record.job();
      waiting.merge(
          job.job(),
          record,
          (older, newer) -> new Record(newer.job(), older.addIfMissing() || newer.addIfMissing()));
      if (!job.state().equals(writtenStates.get(job.job()))) {
        write();
      } else if (!timers.isTimerActive(Flush.INSTANCE)) {
        timers.startSingleTimer(Flush.INSTANCE, interval);
      }
      return Behaviors.same();
    }

    private Behavior<Command> onFlush() {
      write();
      return Behaviors.same();
    }

    private void write() {
      if (writing || waiting.isEmpty()) {
        return;
      }
      timers.cancel(Flush.INSTANCE);
      List<Record> batch = new ArrayList<>(waiting.values());
      waiting.clear();
      writing = true;
      List<JobRegistry.Job> add = new ArrayList<>();
      List<JobRegistry.Job> update = new ArrayList<>();
      for (Record r : batch) {
        (r.addIfMissing() ? add : update).add(r.job());
      }
      ctx.pipeToSelf(
          CompletableFuture.runAsync(
              () -> {
                registry.record(add);
                registry.update(update);
              },
              blocking),
          (ok, error) -> new Written(batch, error));
    }

    private Behavior<Command> onWritten(Written written) {
      writing = false;
      if (written.error() != null) {
        if (failures++ == 0) {
          ctx.getLog()
              .warn(
                  "Cannot write {} job(s) to the job registry; trying again every {} ms: {}",
                  written.records().size(),
                  interval.toMillis(),
                  CoordinatorMessages.describe(written.error()));
        }
        for (Record r : written.records()) {
          waiting.putIfAbsent(r.job().job(), r);
        }
        timers.startSingleTimer(Flush.INSTANCE, interval);
        return Behaviors.same();
      }
      if (failures > 0) {
        ctx.getLog().info("The job registry is written again after {} failed write(s)", failures);
        failures = 0;
      }
      for (Record r : written.records()) {
        JobRegistry.Job job = r.job();
        if (job.isFinal() || job.state().equals("failed")) {
          writtenStates.remove(job.job());
        } else {
          writtenStates.put(job.job(), job.state());
        }
      }
      if (!waiting.isEmpty() && !timers.isTimerActive(Flush.INSTANCE)) {
        boolean stateChanged =
            waiting.values().stream()
                .anyMatch(r -> !r.job().state().equals(writtenStates.get(r.job().job())));
        if (stateChanged) {
          write();
        } else {
          timers.startSingleTimer(Flush.INSTANCE, interval);
        }
      }
      return Behaviors.same();
    }
  }
}
