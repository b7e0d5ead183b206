package io.troupe.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.bench.Report;
import io.troupe.bench.Stats;
import io.troupe.bench.scale.ScaleOptions.Setup;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Renders {@link ScaleBench}'s results as the Markdown tables docs/BENCHMARKS.md keeps. A row with
 * several rounds shows the median of each figure over the rounds that ran to their end; a row none
 * of whose rounds did shows why (out of heap, timed out, failed).
 */
final class ScaleTables {

  private static final double MIB = 1024 * 1024;

  /** The target of issue 17 for one million idle actors. */
  static final long ACTOR_TARGET_BYTES = 512L * 1024 * 1024;

  /**
   * The rounds of one job case.
   *
   * @param setup the nodes
   * @param size the nominal size; the job has {@code size + 1} items
   * @param heap the case's {@code -Xmx}
   * @param rounds one result per round
   */
  record JobRow(Setup setup, long size, String heap, List<CaseResult> rounds) {

    List<CaseResult> ok() {
      return rounds.stream().filter(CaseResult::ok).toList();
    }

    double median(ToDoubleFunction<CaseResult> figure) {
      List<Double> values = new ArrayList<>();
      for (CaseResult r : ok()) {
        values.add(figure.applyAsDouble(r));
      }
      return values.isEmpty() ? Double.NaN : Stats.median(values);
    }

    /** Why the row has no figures, or "" if it has. */
    String failure() {
      return ok().isEmpty() ? rounds.get(0).detail() : "";
    }

    String exact() {
      List<CaseResult> ok = ok();
      CaseResult first = ok.get(0);
      boolean all = ok.stream().allMatch(r -> r.json().path("exact").asBoolean());
      if (all) {
        return String.format(Locale.ROOT, "yes (π = %,d)", first.json().path("expected").asLong());
      }
      String error = first.json().path("error").asText("");
      return String.format(
          Locale.ROOT,
          "**no**: %s, %,d of %,d items, count %,d ≠ %,d%s",
          first.json().path("state").asText(),
          first.json().path("completed").asLong(),
          first.json().path("items").asLong(),
          first.json().path("count").asLong(),
          first.json().path("expected").asLong(),
          error.isEmpty() ? "" : " (" + error.replace('|', '/') + ")");
    }
  }

  /**
   * The rounds of one idle-actors case.
   *
   * @param label the system's name in the table
   * @param actors the actors each round spawns
   * @param heap the case's {@code -Xmx}
   * @param rounds one result per round
   */
  record ActorRow(String label, int actors, String heap, List<CaseResult> rounds) {}

  private ScaleTables() {}

  /** The job's wall time without the full GCs the heap readings took while it ran. */
  static double jobNanos(CaseResult r) {
    return r.number("wallNanos") - r.number("samplePauseNanos");
  }

  static double itemsPerSec(CaseResult r) {
    return r.number("items") / (jobNanos(r) / 1e9);
  }

  /** The highest live heap a full collection saw while the job ran, less the baseline, per item. */
  static double peakBytesPerItem(CaseResult r) {
    return (peakBytes(r) - r.number("baselineBytes")) / r.number("items");
  }

  private static double samplesPeak(CaseResult r) {
    double peak = 0;
    for (JsonNode s : r.json().path("samples")) {
      peak = Math.max(peak, s.path("bytes").asDouble());
    }
    return peak;
  }

  private static double peakBytes(CaseResult r) {
    return Math.max(samplesPeak(r), r.json().path("watchPeakBytes").asDouble(0));
  }

  /** Where the peak was seen: a reading's label, or a collection the heap's pressure brought. */
  static String peakAt(CaseResult r) {
    if (r.json().path("watchPeakBytes").asDouble(0) > samplesPeak(r)) {
      String at = r.json().path("watchPeakAt").asText();
      return "pressure GC "
          + (at.endsWith("%") ? "at " + at : at.equals("planning") ? "while planning" : at);
    }
    double peak = samplesPeak(r);
    for (JsonNode s : r.json().path("samples")) {
      if (s.path("bytes").asDouble() == peak) {
        return s.path("at").asText();
      }
    }
    return "";
  }

  /** The reading nearest half-way, less the baseline, per item; NaN if none was taken. */
  static double midBytesPerItem(CaseResult r) {
    JsonNode mid = sampleNearest(r, 0.5);
    return mid == null
        ? Double.NaN
        : (mid.path("bytes").asDouble() - r.number("baselineBytes")) / r.number("items");
  }

  private static JsonNode sampleNearest(CaseResult r, double fraction) {
    JsonNode best = null;
    double items = r.number("items");
    for (JsonNode s : r.json().path("samples")) {
      if (s.path("at").asText().endsWith("%")
          && (best == null
              || Math.abs(s.path("completed").asDouble() / items - fraction)
                  < Math.abs(best.path("completed").asDouble() / items - fraction))) {
        best = s;
      }
    }
    return best;
  }

  private static double sampleMib(CaseResult r, String at) {
    for (JsonNode s : r.json().path("samples")) {
      if (s.path("at").asText().equals(at)) {
        return s.path("bytes").asDouble() / MIB;
      }
    }
    return Double.NaN;
  }

  /** The throughput table. */
  static String throughput(List<JobRow> rows) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| Setup | Items | Job wall time | Items/s | Report wallMs / items/s | Planned and"
            + " recorded after | Sieve per item (1 thread) | Exact | Case JVM time |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---|---:|\n");
    for (JobRow row : rows) {
      out.append(String.format(Locale.ROOT, "| %s | %s | ", row.setup().label(), items(row)));
      if (!row.failure().isEmpty()) {
        out.append(row.failure()).append(" | – | – | – | – | – | ");
        CaseResult first = row.rounds().get(0);
        out.append(first.outcome().equals(CaseResult.SKIPPED) ? "–" : seconds(first.caseNanos()))
            .append(" |\n");
        continue;
      }
      double wall = row.median(r -> r.number("wallNanos"));
      double job = row.median(ScaleTables::jobNanos);
      out.append(Report.millis(job));
      if (wall - job > 0.01 * wall) {
        out.append(" (").append(Report.millis(wall)).append(" with heap readings)");
      }
      out.append(
          String.format(
              Locale.ROOT,
              " | %,.0f | %,.0f / %,.0f | %s | %.1f µs | %s | %s |%n",
              row.median(ScaleTables::itemsPerSec),
              row.median(r -> r.number("reportWallMs")),
              row.median(r -> r.number("reportItemsPerSec")),
              Report.millis(row.median(r -> r.number("plannedNanos"))),
              row.median(r -> r.number("sieveNanosPerItem")) / 1e3,
              row.exact(),
              seconds(row.median(CaseResult::caseNanos))));
    }
    return out.toString();
  }

  /** The heap table. */
  static String heap(List<JobRow> rows) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| Setup | Items | Heap | Live heap before | Live heap planned / ~50% / end | Peak −"
            + " before (seen at) | Bytes/item at peak | Bytes/item at ~50% | Full GCs | Exact"
            + " |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (JobRow row : rows) {
      out.append(
          String.format(
              Locale.ROOT, "| %s | %s | -Xmx%s | ", row.setup().label(), items(row), row.heap()));
      if (!row.failure().isEmpty()) {
        out.append(row.failure()).append(" | – | – | – | – | – | – |\n");
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%.1f MiB | %.1f / %.1f / %.1f MiB | %.1f MiB (%s) | %,.0f | %,.0f | %.0f | %s |%n",
              row.median(r -> r.number("baselineBytes")) / MIB,
              row.median(r -> sampleMib(r, "planned")),
              row.median(r -> midMib(r)),
              row.median(r -> sampleMib(r, "end")),
              row.median(r -> peakBytesPerItem(r) * r.number("items")) / MIB,
              peakAt(row.ok().get(0)),
              row.median(ScaleTables::peakBytesPerItem),
              row.median(ScaleTables::midBytesPerItem),
              row.median(r -> r.number("fullCollections")),
              row.exact()));
    }
    return out.toString();
  }

  private static double midMib(CaseResult r) {
    JsonNode mid = sampleNearest(r, 0.5);
    return mid == null ? Double.NaN : mid.path("bytes").asDouble() / MIB;
  }

  /** The cost-growth table: each size's figures against the smallest size of the same setup. */
  static String growth(List<JobRow> rows, List<Setup> setups) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| Setup | Items | Items/s | ÷ smallest size | Bytes/item at peak | ÷ smallest size |\n");
    out.append("|---|---:|---:|---:|---:|---:|\n");
    for (Setup setup : setups) {
      JobRow base = null;
      for (JobRow row : rows) {
        if (row.setup() != setup) {
          continue;
        }
        out.append(String.format(Locale.ROOT, "| %s | %s | ", setup.label(), items(row)));
        if (!row.failure().isEmpty()) {
          out.append(row.failure()).append(" | – | – | – |\n");
          continue;
        }
        if (base == null) {
          base = row;
        }
        double rate = row.median(ScaleTables::itemsPerSec);
        double bytes = row.median(ScaleTables::peakBytesPerItem);
        out.append(
            String.format(
                Locale.ROOT,
                "%,.0f | %s | %,.0f | %s |%n",
                rate,
                row == base ? "(base)" : factor(rate / base.median(ScaleTables::itemsPerSec)),
                bytes,
                row == base
                    ? "(base)"
                    : factor(bytes / base.median(ScaleTables::peakBytesPerItem))));
      }
    }
    return out.toString();
  }

  /** The idle-actors table. */
  static String actors(List<ActorRow> rows) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| System | Actors | Heap | Spawn and message all | Live heap they hold | Bytes/actor |"
            + " Per 1,000,000 actors | Within 512 MiB? |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (ActorRow row : rows) {
      List<CaseResult> ok = row.rounds().stream().filter(CaseResult::ok).toList();
      out.append(
          String.format(
              Locale.ROOT, "| %s | %,d | -Xmx%s | ", row.label(), row.actors(), row.heap()));
      if (ok.isEmpty()) {
        out.append(row.rounds().get(0).detail()).append(" | – | – | – | – |\n");
        continue;
      }
      double held =
          Stats.median(
              ok.stream().map(r -> r.number("liveBytes") - r.number("baselineBytes")).toList());
      double nanos = Stats.median(ok.stream().map(r -> r.number("spawnNanos")).toList());
      double perMillion = held / row.actors() * 1_000_000;
      out.append(
          String.format(
              Locale.ROOT,
              "%s | %.1f MiB | %,.0f | %.0f MiB | %s |%n",
              Report.millis(nanos),
              held / MIB,
              held / row.actors(),
              perMillion / MIB,
              perMillion <= ACTOR_TARGET_BYTES ? "yes" : "no"));
    }
    return out.toString();
  }

  /** A size as a power of ten where it is one, with the job's actual item count. */
  static String items(JobRow row) {
    return String.format(Locale.ROOT, "%s (%,d)", sizeLabel(row.size()), row.size() + 1);
  }

  /** Names a size: {@code 10^5} for a power of ten, else the number. */
  static String sizeLabel(long size) {
    long p = 1;
    for (int k = 0; k <= 18; k++) {
      if (p == size) {
        return "10^" + k;
      }
      if (p > Long.MAX_VALUE / 10) {
        break;
      }
      p *= 10;
    }
    return String.format(Locale.ROOT, "%,d", size);
  }

  private static String factor(double ratio) {
    return String.format(Locale.ROOT, "%.2f×", ratio);
  }

  private static String seconds(double nanos) {
    return String.format(Locale.ROOT, "%.0f s", nanos / 1e9);
  }
}
