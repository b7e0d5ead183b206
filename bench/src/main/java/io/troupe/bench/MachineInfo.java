package io.troupe.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the figures were measured on, recorded beside them as docs/BENCHMARKS.md asks.
 *
 * @param date when the run started, UTC
 * @param cores the processors the JVM sees ({@code nproc})
 * @param cpuModel the CPU model from {@code /proc/cpuinfo}
 * @param jdk the JVM name and version
 * @param jvmFlags the JVM's command-line flags
 * @param heap the maximum heap and the garbage collectors
 * @param os the operating system and kernel version
 */
public record MachineInfo(
    String date, int cores, String cpuModel, String jdk, String jvmFlags, String heap, String os) {

  /** Reads the machine's description now. */
  public static MachineInfo capture() {
    String collectors =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(", "));
    return new MachineInfo(
        ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)),
        Runtime.getRuntime().availableProcessors(),
        readCpuModel(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
        String.format(
            Locale.ROOT,
            "max heap %d MiB, GC %s",
            Runtime.getRuntime().maxMemory() / (1024 * 1024),
            collectors),
        System.getProperty("os.name") + " " + System.getProperty("os.version"));
  }

  /** Returns the Markdown list items that name the date, machine, JDK and JVM flags of a run. */
  public String markdownLines() {
    return String.format(
        Locale.ROOT,
        "- Date: %s; machine: %d cores (`nproc`), %s, %s%n- JDK: %s; JVM flags: `%s`%n",
        date,
        cores,
        cpuModel,
        os,
        jdk,
        jvmFlags);
  }

  /**
   * Returns the Markdown list item on the load while a run measured, ending the list.
   *
   * @param meter started with the run
   * @param loadBefore {@link #loadAverage()} at the start of the run
   * @param startedNanos {@link System#nanoTime()} at the start of the run
   */
  public static String loadLine(CpuMeter meter, String loadBefore, long startedNanos) {
    return String.format(
        Locale.ROOT,
        "- Load while measuring: %sload average %s at start, %s at end; run took %.1f min%n%n",
        meter.othersSinceStart().map(s -> s + "; ").orElse(""),
        loadBefore,
        loadAverage(),
        (System.nanoTime() - startedNanos) / 60e9);
  }

  /** Returns the first three figures of {@code /proc/loadavg}, or "unknown" where there is none. */
  public static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String readCpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      // Not Linux: fall back to the architecture below.
    }
    return System.getProperty("os.arch");
  }
}
