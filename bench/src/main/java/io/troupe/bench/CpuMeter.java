package io.troupe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures how busy other processes kept the CPU during a run, from Linux's {@code /proc/stat} (all
 * processes) and {@code /proc/self/stat} (this JVM), so a report can say how noisy its machine was.
 */
public final class CpuMeter {

  private final int cores;
  private final Optional<Sample> start;

  private CpuMeter(int cores, Optional<Sample> start) {
    this.cores = cores;
    this.start = start;
  }

  /**
   * Starts measuring now.
   *
   * @return the meter; on a system without {@code /proc} it reports nothing
   */
  public static CpuMeter start() {
    return new CpuMeter(Runtime.getRuntime().availableProcessors(), Sample.read());
  }

  /**
   * Describes the CPU use by others since {@link #start()}.
   *
   * @return for example "other processes kept 0.40 of 2 cores busy on average (steal 0.00)", or
   *     empty where {@code /proc} is missing
   */
  public Optional<String> othersSinceStart() {
    Optional<Sample> end = Sample.read();
    if (start.isEmpty() || end.isEmpty()) {
      return Optional.empty();
    }
    Sample a = start.get();
    Sample b = end.get();
    double total = b.total() - a.total();
    if (total <= 0) {
      return Optional.empty();
    }
    double others = Math.max(0, (b.busy() - a.busy()) - (b.self() - a.self())) / total * cores;
    double steal = (b.steal() - a.steal()) / total * cores;
    return Optional.of(
        String.format(
            Locale.ROOT,
            "other processes kept %.2f of %d cores busy on average (hypervisor steal %.2f)",
            others,
            cores,
            steal));
  }

  /** Cumulative jiffies: all CPUs' total and busy time, steal, and this process's CPU time. */
  private record Sample(long total, long busy, long steal, long self) {

    static Optional<Sample> read() {
      try {
        String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] f = cpu.strip().split("\\s+");
        long user = Long.parseLong(f[1]);
        long nice = Long.parseLong(f[2]);
        long system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]);
        long iowait = Long.parseLong(f[5]);
        long irq = Long.parseLong(f[6]);
        long softirq = Long.parseLong(f[7]);
        long steal = Long.parseLong(f[8]);
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] s = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
        // After the command name, utime and stime are the 12th and 13th fields.
        long self = Long.parseLong(s[11]) + Long.parseLong(s[12]);
        long busy = user + nice + system + irq + softirq;
        return Optional.of(new Sample(busy + idle + iowait + steal, busy, steal, self));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }
}
