package io.troupe.bench.savina;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * The thread pools the JDK baselines run on, created once per benchmark run like the actor systems,
 * so that no round pays for starting threads.
 */
public final class JdkPools implements AutoCloseable {

  private final int threads;
  private final ForkJoinPool forkJoin;
  private final ExecutorService fixed;

  /**
   * Starts the pools.
   *
   * @param threads the number of threads of each pool; the harness uses one per core, the same size
   *     as Troupe's default dispatcher
   * @throws IllegalArgumentException if {@code threads} is below 1
   */
  public JdkPools(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, was " + threads);
    }
    this.threads = threads;
    this.forkJoin = new ForkJoinPool(threads);
    this.fixed = Executors.newFixedThreadPool(threads);
  }

  /** Returns the number of threads of each pool. */
  public int threads() {
    return threads;
  }

  /** Returns a fork/join pool with {@link #threads()} workers. */
  public ForkJoinPool forkJoin() {
    return forkJoin;
  }

  /** Returns a fixed thread pool ({@code Executors.newFixedThreadPool}) of {@link #threads()}. */
  public ExecutorService fixed() {
    return fixed;
  }

  /** Stops both pools and waits briefly for their threads to end. */
  @Override
  public void close() {
    forkJoin.shutdownNow();
    fixed.shutdownNow();
    try {
      forkJoin.awaitTermination(10, TimeUnit.SECONDS);
      fixed.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
