package io.troupe.bench.savina;

import java.util.List;

/**
 * The Savina micro set at the sizes Troupe reports (docs/BENCHMARKS.md): the workload definitions
 * of Imam and Sarkar's suite, fixed here so that every run measures the same thing.
 */
public final class SavinaSuite {

  /** PingPong: pings sent, each answered by a pong. */
  public static final int PING_PONG_PINGS = 1_000_000;

  /** Counting: increments sent to the counter. */
  public static final int COUNTING_INCREMENTS = 10_000_000;

  /** ThreadRing: actors in the ring. */
  public static final int THREAD_RING_MEMBERS = 100;

  /** ThreadRing: times the token is passed on. */
  public static final int THREAD_RING_HOPS = 1_000_000;

  /** Big: actors pinging each other. */
  public static final int BIG_WORKERS = 120;

  /** Big: pings each actor sends. */
  public static final int BIG_PINGS = 20_000;

  /** Chameneos: chameneos visiting the mall. */
  public static final int CHAMENEOS = 100;

  /** Chameneos: meetings the mall arranges. */
  public static final int CHAMENEOS_MEETINGS = 200_000;

  /** Fibonacci: the argument of fib. */
  public static final int FIBONACCI_N = 25;

  /** Fork-join throughput: worker actors. */
  public static final int FJ_WORKERS = 60;

  /** Fork-join throughput: messages each worker receives. */
  public static final int FJ_MESSAGES = 10_000;

  private SavinaSuite() {}

  /** Returns the seven workloads at their full sizes, in the order of the results table. */
  public static List<Workload> workloads() {
    return List.of(
        PingPong.workload(PING_PONG_PINGS),
        Counting.workload(COUNTING_INCREMENTS),
        ThreadRing.workload(THREAD_RING_MEMBERS, THREAD_RING_HOPS),
        Big.workload(BIG_WORKERS, BIG_PINGS),
        ChameneosMall.workload(CHAMENEOS, CHAMENEOS_MEETINGS),
        Fibonacci.workload(FIBONACCI_N),
        ForkJoinThroughput.workload(FJ_WORKERS, FJ_MESSAGES));
  }
}
