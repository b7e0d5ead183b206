package io.troupe.cli;

import io.troupe.cluster.JobStatus;
import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar on a terminal's stderr: items done, rate and ETA. */
final class ProgressBar {

  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final long startNanos = System.nanoTime();
  private int lastLength;

  ProgressBar(PrintWriter err) {
    this.err = err;
  }

  /** Redraws the bar for a running job. */
  void update(JobStatus status) {
    long total = Math.max(1, status.items());
    long done = status.completed() + status.quarantined();
    double fraction = Math.min(1.0, (double) done / total);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    String eta = rate > 0 && done < total ? formatSeconds((total - done) / rate) : "-";
    int filled = (int) Math.round(fraction * WIDTH);
    String line =
        String.format(
            Locale.ROOT,
            "[%s%s] %3.0f%% %d/%d items  %.1f items/s  ETA %s",
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            fraction * 100,
            done,
            status.items(),
            rate,
            eta);
    err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    err.flush();
    lastLength = line.length();
  }

  /** Erases the bar. */
  void clear() {
    if (lastLength > 0) {
      err.print("\r" + " ".repeat(lastLength) + "\r");
      err.flush();
    }
  }

  static String formatSeconds(double s) {
    if (s < 60) {
      return String.format(Locale.ROOT, "%.0fs", Math.ceil(s));
    }
    return String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
  }
}
