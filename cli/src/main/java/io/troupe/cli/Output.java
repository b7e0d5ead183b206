package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a run's outcome: exactly one JSON object {@code {job, pipeline, status, result, report}}
 * on stdout in JSON mode, or a readable summary with the report as a compact table.
 */
final class Output {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Characters of the longest bar of a histogram (a result field named {@code ...Histogram}). */
  private static final int HISTOGRAM_WIDTH = 50;

  private final boolean json;
  private final PrintWriter out;

  Output(boolean json, PrintWriter out) {
    this.json = json;
    this.out = out;
  }

  void print(String job, String pipeline, String status, JsonNode result, JsonNode report)
      throws Exception {
    if (json) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.put("job", job);
      root.put("pipeline", pipeline);
      root.put("status", status);
      root.set("result", result);
      root.set("report", report);
      out.println(JSON.writeValueAsString(root));
    } else {
      out.println(pipeline + ": " + status + " (job " + job + ")");
      out.println();
      if (result != null) {
        out.println("result");
        value(result, "  ");
      }
      out.println();
      report(report);
    }
    out.flush();
  }

  private void value(JsonNode node, String indent) {
    if (node.isObject()) {
      int width = 0;
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        width = Math.max(width, it.next().length());
      }
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        JsonNode v = field.getValue();
        if (v.isContainerNode()) {
          out.println(indent + field.getKey());
          if (field.getKey().endsWith("Histogram") && isRows(v)) {
            histogram(v, indent + "  ");
            continue;
          }
          value(v, indent + "  ");
        } else {
          out.println(indent + pad(field.getKey(), width) + "  " + scalar(v));
        }
      }
    } else if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
      table(node, indent);
    } else if (node.isArray()) {
      for (JsonNode v : node) {
        out.println(indent + scalar(v));
      }
    } else {
      out.println(indent + scalar(node));
    }
  }

  private static boolean isRows(JsonNode node) {
    return node.isArray() && node.size() > 0 && node.get(0).isObject();
  }

  /** Rows of (label, count), drawn as bars scaled to the largest count. */
  private void histogram(JsonNode rows, String indent) {
    List<String> columns = new ArrayList<>();
    rows.get(0).fieldNames().forEachRemaining(columns::add);
    String count = columns.get(columns.size() - 1);
    double max = 1;
    for (JsonNode row : rows) {
      max = Math.max(max, row.path(count).asDouble());
    }
    int labelWidth = columns.get(0).length();
    for (JsonNode row : rows) {
      labelWidth = Math.max(labelWidth, scalar(row.path(columns.get(0))).length());
    }
    out.println(indent + pad(columns.get(0), labelWidth) + " | " + count);
    for (JsonNode row : rows) {
      double n = row.path(count).asDouble();
      int bar = n <= 0 ? 0 : Math.max(1, (int) Math.round(n / max * HISTOGRAM_WIDTH));
      out.println(
          indent
              + padLeft(scalar(row.path(columns.get(0))), labelWidth)
              + " | "
              + "#".repeat(bar)
              + " "
              + scalar(row.path(count)));
    }
  }

  private void table(JsonNode rows, String indent) {
    List<String> columns = new ArrayList<>();
    rows.get(0).fieldNames().forEachRemaining(columns::add);
    int[] width = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      width[c] = columns.get(c).length();
      for (JsonNode row : rows) {
        width[c] = Math.max(width[c], scalar(row.path(columns.get(c))).length());
      }
    }
    StringBuilder header = new StringBuilder(indent);
    for (int c = 0; c < columns.size(); c++) {
      header.append(pad(columns.get(c), width[c])).append("  ");
    }
    out.println(header.toString().stripTrailing());
    for (JsonNode row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int c = 0; c < columns.size(); c++) {
        JsonNode v = row.path(columns.get(c));
        String s = scalar(v);
        line.append(v.isNumber() ? padLeft(s, width[c]) : pad(s, width[c])).append("  ");
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** Prints the nodes that could not work on a job, one per line, if any. */
  static void unavailable(JsonNode nodes, PrintWriter out) {
    for (JsonNode n : nodes) {
      out.println(
          "  node " + n.path("node").asText() + " stayed out: " + n.path("reason").asText());
    }
  }

  private void report(JsonNode r) {
    if (r == null || r.isEmpty()) {
      return;
    }
    out.println("report");
    if (r.path("sequential").asBoolean(false)) {
      out.println("  sequential reference: " + seconds(r.path("wallMs").asDouble()));
      return;
    }
    out.println(
        String.format(
            Locale.ROOT,
            "  wall %s · %d node(s) · %d worker(s) · %d items · %.1f items/s · %d retried · %d"
                + " quarantined%s",
            seconds(r.path("wallMs").asDouble()),
            r.path("nodes").asInt(),
            r.path("workers").asInt(),
            r.path("items").asLong(),
            r.path("itemsPerSec").asDouble(),
            r.path("itemsRetried").asLong(),
            r.path("itemsQuarantined").asLong(),
            r.path("itemsResumed").asLong() > 0
                ? " · " + r.path("itemsResumed").asLong() + " resumed"
                : ""));
    if (r.has("sequentialMs") && r.get("sequentialMs").isNull()) {
      out.println("  sequential: none (the pipeline has no sequential reference)");
    } else if (r.has("sequentialMs")) {
      out.println(
          String.format(
              Locale.ROOT,
              "  sequential %s · speedup %.2fx · efficiency %.2f · serial fraction %s%s",
              seconds(r.path("sequentialMs").asDouble()),
              r.path("speedup").asDouble(),
              r.path("efficiency").asDouble(),
              r.path("serialFraction").isNull() ? "n/a" : r.path("serialFraction").asText(),
              r.path("matchesSequential").asBoolean(true) ? "" : " · RESULT DIFFERS"));
    }
    if (r.path("stages").size() > 0) {
      // Same figures as the JSON report, with headers for people.
      ArrayNode rows = JsonNodeFactory.instance.arrayNode();
      for (JsonNode st : r.path("stages")) {
        ObjectNode row = rows.addObject();
        row.put("stage", st.path("name").asText());
        row.set("items", st.path("items"));
        row.set("busy %", st.path("busyPct"));
        row.set("p50 ms", st.path("p50Ms"));
        row.set("p99 ms", st.path("p99Ms"));
        row.set("max mailbox", st.path("maxMailbox"));
        if (st.has("maxWaiting")) {
          row.set("max waiting", st.path("maxWaiting"));
        }
      }
      table(rows, "  ");
    }
    if (r.has("bottleneck")) {
      out.println("  bottleneck: " + r.path("bottleneck").asText());
    }
    unavailable(r.path("unavailable"), out);
    if (r.has("error")) {
      out.println("  error: " + r.path("error").asText());
    }
  }

  static String seconds(double ms) {
    return String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  private static String scalar(JsonNode v) {
    return v.isTextual() ? v.asText() : v.toString();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  private static String padLeft(String s, int width) {
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }
}
