package io.troupe.bench.savina;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;

/**
 * One Savina workload at fixed sizes: the actor code that runs it, the result it must compute, and
 * an optional plain-JDK baseline.
 *
 * <p>Implementation notes: an actor run spawns a {@link Round} into the system's {@link
 * SpawnProtocol} guardian; the round spawns the workload's driver, which spawns the workload's
 * actors, takes the start time just before its first send and completes the result future with a
 * {@link Measurement} when the last completion signal arrives, then stops. The round watches the
 * driver, so the run only returns once every actor of the workload has stopped, and a driver that
 * fails or stops without a result fails the run instead of hanging it. Every run checks its result
 * and throws if it is wrong.
 *
 * @param name the short name used in tables and by {@code --only}
 * @param definition the workload definition in one line
 * @param expected the result every run must compute
 * @param driver creates the driver behavior, given the future it completes with the measurement
 * @param jdk the plain-JDK baseline, if the workload has a natural one
 */
public record Workload(
    String name,
    String definition,
    long expected,
    Function<CompletableFuture<Measurement>, Behavior<?>> driver,
    Optional<JdkBaseline> jdk) {

  /**
   * Runs the workload once on an actor system and checks its result.
   *
   * @param system a running system whose guardian speaks {@link SpawnProtocol}
   * @param timeout how long the run, and then the stopping of its actors, may take
   * @return the measurement, whose value is {@link #expected()}
   * @throws IllegalStateException if the run fails, times out or computes a wrong result
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  public Measurement runOnActors(ActorSystem<SpawnProtocol.Command> system, Duration timeout)
      throws InterruptedException {
    CompletableFuture<Measurement> result = new CompletableFuture<>();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    system.tell(
        new SpawnProtocol.Spawn<>(
            Round.create(driver.apply(result), result, stopped),
            "",
            Props.empty(),
            system.ignoreRef()));
    Measurement measurement = await(result, timeout, "to finish");
    await(stopped, timeout, "to stop its actors");
    return verified(measurement);
  }

  /**
   * Runs the JDK baseline once and checks its result.
   *
   * @param pools the pools kept alive for the whole benchmark run
   * @return the measurement, whose value is {@link #expected()}
   * @throws IllegalStateException if there is no baseline, or it fails or computes a wrong result
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  public Measurement runOnJdk(JdkPools pools) throws InterruptedException {
    JdkBaseline baseline =
        jdk.orElseThrow(() -> new IllegalStateException(name + " has no JDK baseline"));
    Measurement measurement;
    try {
      measurement = baseline.run().run(pools);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(name + " failed on the JDK baseline", e);
    }
    return verified(measurement);
  }

  /**
   * Returns the measurement if its value is the expected result.
   *
   * @param measurement a run's measurement
   * @return the same measurement
   * @throws IllegalStateException if the run computed a wrong result
   */
  public Measurement verified(Measurement measurement) {
    if (measurement.value() != expected) {
      throw new IllegalStateException(
          name + " computed " + measurement.value() + " but must compute " + expected);
    }
    return measurement;
  }

  private <T> T await(CompletableFuture<T> future, Duration timeout, String what)
      throws InterruptedException {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(name + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(name + " did not manage " + what + " within " + timeout, e);
    }
  }
}
