package io.troupe.bench.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one case in a JVM of its own, with this JVM's class path and a heap of its own, so that a
 * case that runs out of heap or hangs costs only its own row.
 *
 * <p>Implementation notes: the child's stdout and stderr are merged and read by one thread, which
 * keeps the result line, passes every other line on to this JVM's stderr as progress, and notices
 * an {@link OutOfMemoryError}. The child runs with {@code -XX:+ExitOnOutOfMemoryError}, so the
 * first one ends it (exit status 3) instead of leaving a half-dead actor system. A child that
 * outlives its limit is destroyed, forcibly after ten more seconds.
 */
final class ChildJvm {

  /** The exit status of a JVM that {@code -XX:+ExitOnOutOfMemoryError} ended. */
  private static final int OOM_EXIT = 3;

  private ChildJvm() {}

  /**
   * Returns the flags of a case's JVM: a fixed heap of the given size, pre-touched, the Parallel
   * collector (as the other suites use), exit on the first {@link OutOfMemoryError}, and this JVM's
   * own {@code -D} options.
   *
   * @param heap like {@code 512m}
   * @return the flags
   */
  static List<String> flags(String heap) {
    List<String> flags = new ArrayList<>();
    flags.add("-Xms" + heap);
    flags.add("-Xmx" + heap);
    flags.add("-XX:+AlwaysPreTouch");
    flags.add("-XX:+UseParallelGC");
    flags.add("-XX:+ExitOnOutOfMemoryError");
    flags.add("-Dlogback.configurationFile=scale-logback.xml");
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-D")) {
        flags.add(arg);
      }
    }
    return flags;
  }

  /**
   * Runs a case and waits for it.
   *
   * @param heap the case's heap, like {@code 512m}
   * @param mainClass the case's main class
   * @param args its arguments
   * @param limit how long it may run before it is destroyed
   * @param timeoutSeconds the job's own limit, named when the case is reported as timed out
   * @return what the case printed, or why it printed nothing
   */
  static CaseResult run(
      String heap, Class<?> mainClass, List<String> args, Duration limit, long timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags(heap));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    long t0 = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    AtomicReference<String> resultLine = new AtomicReference<>();
    AtomicReference<String> progress = new AtomicReference<>("");
    AtomicBoolean oom = new AtomicBoolean();
    Deque<String> tail = new ArrayDeque<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (line.startsWith(CaseResult.PREFIX)) {
                    resultLine.set(line);
                    continue;
                  }
                  if (line.startsWith(CaseResult.PROGRESS)) {
                    progress.set(" " + line.substring(CaseResult.PROGRESS.length()));
                    continue;
                  }
                  if (line.contains("OutOfMemoryError")) {
                    oom.set(true);
                  }
                  synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 5) {
                      tail.removeFirst();
                    }
                  }
                  System.err.println("    | " + line);
                }
              } catch (IOException e) {
                System.err.println("    | (reading the case's output failed: " + e + ")");
              }
            },
            "scale-case-output");
    reader.setDaemon(true);
    reader.start();
    boolean exited = process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
    if (!exited) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    long nanos = System.nanoTime() - t0;
    String line = resultLine.get();
    if (line != null) {
      CaseResult result = CaseResult.parse(line, nanos).orElse(null);
      if (result != null) {
        return result;
      }
    }
    if (oom.get() || (exited && process.exitValue() == OOM_EXIT)) {
      return CaseResult.of(CaseResult.OOM, "OOM (-Xmx" + heap + ")" + progress.get(), nanos);
    }
    if (!exited) {
      return CaseResult.of(
          CaseResult.TIMEOUT,
          String.format(
              Locale.ROOT, "timed out after %d s (killed)%s", timeoutSeconds, progress.get()),
          nanos);
    }
    String last;
    synchronized (tail) {
      last = tail.isEmpty() ? "no output" : tail.getLast();
    }
    return CaseResult.of(
        CaseResult.FAILED, "exit " + process.exitValue() + ": " + last.strip(), nanos);
  }
}
