package io.troupe.bench.savina;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plain-JDK versions of the workloads that have a natural one, measured like the actor versions:
 * threads and pools are up before the clock starts, which runs from the first hand-off to the
 * result.
 */
final class JdkBaselines {

  private JdkBaselines() {}

  /**
   * PingPong with two threads: this thread puts numbered pings into one {@link SynchronousQueue}, a
   * ponger thread answers each through another.
   */
  static Measurement pingPong(int pings) throws InterruptedException {
    SynchronousQueue<Integer> toPonger = new SynchronousQueue<>();
    SynchronousQueue<Integer> toPinger = new SynchronousQueue<>();
    Thread ponger =
        start(
            "jdk-ponger",
            () -> {
              int seq;
              while ((seq = toPonger.take()) != 0) {
                toPinger.put(seq);
              }
            });
    long start = System.nanoTime();
    long received = 0;
    for (int seq = 1; seq <= pings; seq++) {
      toPonger.put(seq);
      int pong = toPinger.take();
      if (pong != seq) {
        throw new IllegalStateException("pong " + pong + " arrived while pong " + seq + " was due");
      }
      received++;
    }
    Measurement measurement = Measurement.since(start, received);
    toPonger.put(0);
    ponger.join();
    return measurement;
  }

  /**
   * Counting with two threads: this thread puts increments into a {@link LinkedBlockingQueue}, a
   * consumer thread counts them until it takes the request for the total.
   */
  static Measurement counting(int increments) throws InterruptedException, ExecutionException {
    LinkedBlockingQueue<Boolean> queue = new LinkedBlockingQueue<>();
    CompletableFuture<Long> total = new CompletableFuture<>();
    Thread consumer =
        start(
            "jdk-counter",
            () -> {
              long count = 0;
              while (queue.take()) {
                count++;
              }
              total.complete(count);
            });
    long start = System.nanoTime();
    for (int i = 0; i < increments; i++) {
      queue.put(Boolean.TRUE);
    }
    queue.put(Boolean.FALSE);
    Measurement measurement = Measurement.since(start, total.get());
    consumer.join();
    return measurement;
  }

  /** Fibonacci with one {@link RecursiveTask} per call: fork one half, compute the other. */
  static Measurement fibonacci(JdkPools pools, int n) {
    long start = System.nanoTime();
    long value = pools.forkJoin().invoke(new FibTask(n));
    return Measurement.since(start, value);
  }

  /**
   * Fork-join throughput with one task per message on a fixed thread pool; the tasks add their
   * results to a {@link DoubleAdder}, whose total must match the sequential reference to within
   * rounding, since the adder sums in no fixed order.
   */
  static Measurement forkJoinThroughput(JdkPools pools, int workers, int messages)
      throws InterruptedException {
    ExecutorService executor = pools.fixed();
    DoubleAdder checksum = new DoubleAdder();
    LongAdder processed = new LongAdder();
    CountDownLatch finished = new CountDownLatch(workers * messages);
    long start = System.nanoTime();
    for (int m = 0; m < messages; m++) {
      int k = m;
      for (int w = 0; w < workers; w++) {
        executor.execute(
            () -> {
              checksum.add(ThroughputWorker.compute(k));
              processed.increment();
              finished.countDown();
            });
      }
    }
    finished.await();
    Measurement measurement = Measurement.since(start, processed.sum());
    double expected = workers * ThroughputWorker.checksum(messages);
    if (Math.abs(checksum.sum() - expected) > 1e-9 * expected) {
      throw new IllegalStateException("checksum is " + checksum.sum() + ", expected " + expected);
    }
    return measurement;
  }

  private static Thread start(String name, Interruptible body) {
    Thread thread =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** A thread body that may be interrupted while it waits. */
  @FunctionalInterface
  private interface Interruptible {

    /** Runs the body. */
    void run() throws InterruptedException;
  }

  /** fib(n) as a task that forks the call for n - 1 and computes the one for n - 2 itself. */
  private static final class FibTask extends RecursiveTask<Long> {

    private static final long serialVersionUID = 1L;

    private final int n;

    FibTask(int n) {
      this.n = n;
    }

    @Override
    protected Long compute() {
      if (n <= 1) {
        return (long) n;
      }
      FibTask first = new FibTask(n - 1);
      first.fork();
      long second = new FibTask(n - 2).compute();
      return first.join() + second;
    }
  }
}
