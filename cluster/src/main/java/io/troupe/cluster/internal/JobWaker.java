package io.troupe.cluster.internal;

import io.troupe.cluster.JobStatus;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.registry.JobRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Wakes the jobs the registry lists as starting or running when the cluster starts, and keeps the
 * registry within its retention (internal API): a cluster singleton.
 *
 * <p>Implementation notes: a job's coordinator is a sharded entity, which runs only once something
 * sends it a message. After every node stopped (a power cut, a redeploy that replaced every pod),
 * nothing would: hosts announce themselves only to coordinators that run. So the singleton, once it
 * starts (on the oldest node, as soon as that node is Up), sends each unfinished job's coordinator
 * a {@link JobCoordinator.Start} with the job as the registry holds it. A coordinator whose ledger
 * has the job recovers it and goes on from where the ledger stands; one whose ledger lacks it (the
 * job was admitted, but its plan never recorded) plans it now; one that runs already only confirms.
 * Sharding keeps one coordinator per job, so a job is woken once however many nodes start at once,
 * and a singleton that moves to another node only sends confirmations. A job that cannot be woken
 * yet (no node with its pipeline is up, the database not back yet) is tried again with backoff; one
 * refused {@value #MAX_ATTEMPTS} times in a row (its options no longer parse, say), about a quarter
 * of an hour, is recorded as failed, with the reason, so it holds no place in admission. The
 * registry is read again every {@code troupe.registry.wake-interval}: a job admitted on a node that
 * died before its start reached the job's coordinator is started by the next read.
 */
public final class JobWaker {

  private JobWaker() {}

  /** Messages the waker understands. */
  sealed interface Command {}

  private enum ReadRegistry implements Command {
    INSTANCE
  }

  private enum Purge implements Command {
    INSTANCE
  }

  private record Listed(List<JobRegistry.Job> jobs, Throwable error) implements Command {}

  private record Wake(JobRegistry.Job job) implements Command {}

  private record Woken(JobRegistry.Job job, JobStatus status, Throwable error) implements Command {}

  private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
  private static final Duration LAST_RETRY = Duration.ofMinutes(1);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);

  /** Wake-ups refused in a row before a job is recorded as failed. */
  private static final int MAX_ATTEMPTS = 20;

  /**
   * Starts the waker of a cluster on this node: it runs on one node of the cluster at a time.
   *
   * @param system the node's actor system
   * @param registry the job registry
   * @param blocking where registry calls run
   * @param wakeTimeout how long to wait for a coordinator to confirm a job before trying again
   * @param retention how long a finished job stays in the registry
   * @param wakeInterval how often the registry is read again after the first read
   */
  public static void init(
      ActorSystem<?> system,
      JobRegistry registry,
      Executor blocking,
      Duration wakeTimeout,
      Duration retention,
      Duration wakeInterval) {
    Behavior<Command> waker =
        Behaviors.setup(
            ctx ->
                Behaviors.withTimers(
                    timers ->
                        new State(
                                ctx,
                                timers,
                                registry,
                                blocking,
                                wakeTimeout,
                                retention,
                                wakeInterval)
                            .start()));
    ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                Behaviors.supervise(waker)
                    .onFailure(SupervisorStrategy.restartWithBackoff(FIRST_RETRY, LAST_RETRY, 0.2)),
                "troupe-job-waker"));
  }

  private static final class State {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final JobRegistry registry;
    private final Executor blocking;
    private final Duration wakeTimeout;
    private final Duration retention;
    private final Duration wakeInterval;
    private final Map<String, Integer> attempts = new HashMap<>();
    private int readFailures;
    private boolean firstRead = true;

    State(
        ActorContext<Command> ctx,
        TimerScheduler<Command> timers,
        JobRegistry registry,
        Executor blocking,
        Duration wakeTimeout,
        Duration retention,
        Duration wakeInterval) {
      this.ctx = ctx;
      this.timers = timers;
      this.registry = registry;
      this.blocking = blocking;
      this.wakeTimeout = wakeTimeout;
      this.retention = retention;
      this.wakeInterval = wakeInterval;
    }

    Behavior<Command> start() {
      ctx.getSelf().tell(ReadRegistry.INSTANCE);
      // Read again now and then: a job admitted on a node that died before it reached the job's
      // coordinator, or one whose every host and coordinator stopped while other nodes stayed up,
      // is started by the next read.
      timers.startTimerWithFixedDelay(ReadRegistry.INSTANCE, wakeInterval, wakeInterval);
      timers.startTimerWithFixedDelay(Purge.INSTANCE, Duration.ofMinutes(1), PURGE_EVERY);
      return Behaviors.receive(Command.class)
          .onMessageEquals(ReadRegistry.INSTANCE, this::read)
          .onMessage(Listed.class, this::onListed)
          .onMessage(Wake.class, this::wake)
          .onMessage(Woken.class, this::onWoken)
          .onMessageEquals(Purge.INSTANCE, this::purge)
          .build();
    }

    private Behavior<Command> read() {
      ctx.pipeToSelf(CompletableFuture.supplyAsync(registry::unfinished, blocking), Listed::new);
      return Behaviors.same();
    }

    private Behavior<Command> onListed(Listed listed) {
      if (listed.error() != null) {
        Duration wait = backoff(readFailures++);
        ctx.getLog()
            .warn(
                "Cannot read the job registry to wake unfinished jobs; again in {} s: {}",
                wait.toSeconds(),
                CoordinatorMessages.describe(listed.error()));
        timers.startSingleTimer(ReadRegistry.INSTANCE, wait);
        return Behaviors.same();
      }
      readFailures = 0;
      if (firstRead && !listed.jobs().isEmpty()) {
        ctx.getLog()
            .info("Waking {} unfinished job(s) the job registry lists", listed.jobs().size());
      }
      for (JobRegistry.Job job : listed.jobs()) {
        // A job still being tried (with backoff) is not sent another wake-up meanwhile.
        if (!attempts.containsKey(job.job())) {
          ctx.getSelf().tell(new Wake(job));
        }
      }
      firstRead = false;
      return Behaviors.same();
    }

    private Behavior<Command> wake(Wake wake) {
      JobRegistry.Job job = wake.job();
      JobSpec spec;
      try {
        spec = job.spec();
      } catch (IllegalArgumentException e) {
        fail(job, "the job registry holds it with " + e.getMessage());
        return Behaviors.same();
      }
      ctx.pipeToSelf(
          ClusterSharding.get(ctx.getSystem())
              .entityRefFor(JobCoordinator.TYPE_KEY, job.job())
              .askWithStatus(
                  (org.apache.pekko.actor.typed.ActorRef<
                              org.apache.pekko.pattern.StatusReply<JobStatus>>
                          r) -> new JobCoordinator.Start(spec, r),
                  wakeTimeout),
          (status, error) -> new Woken(job, status, error));
      return Behaviors.same();
    }

    private Behavior<Command> onWoken(Woken woken) {
      JobRegistry.Job job = woken.job();
      Throwable error = woken.error();
      if (error == null) {
        Integer tried = attempts.remove(job.job());
        if (firstRead || tried != null) {
          ctx.getLog()
              .info(
                  "Job [{}] is awake: {} ({} of {} items done)",
                  job.job(),
                  woken.status().state(),
                  woken.status().completed(),
                  woken.status().items());
        }
        return Behaviors.same();
      }
      int attempt = attempts.merge(job.job(), 1, Integer::sum);
      // A refusal may be lasting (options that no longer parse) or not (a ledger the database
      // cannot serve yet, right after a power cut): it is tried again, and only after many
      // attempts, about a quarter of an hour, is the job recorded as failed.
      if (error instanceof org.apache.pekko.pattern.StatusReply.ErrorMessage refused
          && attempt >= MAX_ATTEMPTS) {
        fail(job, refused.getMessage());
        return Behaviors.same();
      }
      Duration wait = backoff(attempt - 1);
      if (attempt == 1 || attempt % 10 == 0) {
        ctx.getLog()
            .warn(
                "Job [{}] did not answer its wake-up ({} attempt(s)); again in {} s: {}",
                job.job(),
                attempt,
                wait.toSeconds(),
                CoordinatorMessages.describe(error));
      }
      ctx.scheduleOnce(wait, ctx.getSelf(), new Wake(job));
      return Behaviors.same();
    }

    /** Records a job that cannot be woken as failed, so it holds no place in admission. */
    private void fail(JobRegistry.Job job, String why) {
      attempts.remove(job.job());
      String error = "cannot wake job " + job.job() + " after a restart: " + why;
      ctx.getLog().error("{}", error);
      JobRegistry.Job failed =
          new JobRegistry.Job(
              job.job(),
              job.pipeline(),
              job.args(),
              job.submittedBy(),
              JobStatus.FAILED,
              job.priority(),
              job.submittedAt(),
              job.startedAt(),
              System.currentTimeMillis(),
              job.items(),
              job.completed(),
              job.quarantined(),
              job.failedAttempts(),
              error,
              System.currentTimeMillis());
      CompletableFuture.runAsync(() -> registry.record(List.of(failed)), blocking)
          .whenComplete(
              (ok, e) -> {
                if (e != null) {
                  ctx.getSystem()
                      .log()
                      .warn(
                          "Cannot record job [{}] as failed in the job registry: {}", job.job(), e);
                }
              });
    }

    private Behavior<Command> purge() {
      long before = System.currentTimeMillis() - retention.toMillis();
      CompletableFuture.supplyAsync(() -> registry.purge(before), blocking)
          .whenComplete(
              (removed, e) -> {
                if (e != null) {
                  ctx.getSystem().log().warn("Cannot purge the job registry: {}", e.toString());
                } else if (removed > 0) {
                  ctx.getSystem()
                      .log()
                      .info("Removed {} job(s) older than the registry's retention", removed);
                }
              });
      return Behaviors.same();
    }

    private static Duration backoff(int failures) {
      Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failures, 5));
      return wait.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait;
    }
  }
}
