package io.troupe.bench.scale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one case's JVM found, and how the parent reads it: the case prints one line, {@value
 * #PREFIX} followed by a JSON object, on stdout; everything else it prints is progress.
 *
 * <p>Every result has an {@code outcome}: {@value #OK}, {@value #TIMEOUT}, {@value #OOM}, {@value
 * #SKIPPED} or {@value #FAILED}, and a {@code detail} unless it is {@value #OK}. The other fields
 * are the case's own (see {@link DispatchCase} and {@link IdleActorsCase}).
 *
 * @param json the case's fields
 * @param caseNanos the case's JVM's wall time, start to exit, as its parent saw it
 */
record CaseResult(JsonNode json, long caseNanos) {

  /** Starts the result line. */
  static final String PREFIX = "SCALE-RESULT ";

  /** Starts a line that says how far the case got, for a case that ends without a result. */
  static final String PROGRESS = "SCALE-PROGRESS ";

  /** The field naming the outcome. */
  static final String OUTCOME = "outcome";

  /** The case ran to its end; its figures are valid. */
  static final String OK = "ok";

  /** The job or the actors did not finish within the time limit. */
  static final String TIMEOUT = "timeout";

  /** The case's JVM ran out of heap. */
  static final String OOM = "oom";

  /** Not run: a smaller size of the same setup already ran out of heap or time. */
  static final String SKIPPED = "skipped";

  /** Anything else that stopped the case. */
  static final String FAILED = "failed";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Returns the outcome. */
  String outcome() {
    return json.path(OUTCOME).asText(FAILED);
  }

  /** Returns true if the case's figures are valid. */
  boolean ok() {
    return OK.equals(outcome());
  }

  /** Returns the outcome's explanation, or "" if there is none, fit for a Markdown table cell. */
  String detail() {
    return json.path("detail").asText("").replace('|', '/').replace('\n', ' ');
  }

  /** Returns a numeric field. */
  double number(String field) {
    return json.path(field).asDouble(Double.NaN);
  }

  /**
   * Returns a result that says only why a case gave no figures.
   *
   * @param outcome {@link #TIMEOUT}, {@link #OOM}, {@link #SKIPPED} or {@link #FAILED}
   * @param detail the explanation
   * @param caseNanos how long the case's JVM ran
   * @return the result
   */
  static CaseResult of(String outcome, String detail, long caseNanos) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put(OUTCOME, outcome);
    json.put("detail", detail);
    return new CaseResult(json, caseNanos);
  }

  /**
   * Reads a result line.
   *
   * @param line a line of a case's stdout
   * @param caseNanos how long the case's JVM ran
   * @return the result, or empty if the line is not a result line
   */
  static Optional<CaseResult> parse(String line, long caseNanos) {
    if (!line.startsWith(PREFIX)) {
      return Optional.empty();
    }
    try {
      JsonNode json = JSON.readTree(line.substring(PREFIX.length()));
      return json.isObject() ? Optional.of(new CaseResult(json, caseNanos)) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** Prints how far a case got on stdout, like {@code planning} or {@code 37% complete}. */
  static void progress(String where) {
    System.out.println(PROGRESS + where);
    System.out.flush();
  }

  /** Prints a case's result line on stdout; called once by a case's JVM. */
  static void print(ObjectNode json) {
    System.out.println(PREFIX + json);
    System.out.flush();
  }

  /**
   * Reads a case's {@code --name value} arguments.
   *
   * @param args the arguments, in pairs
   * @return the values by name
   * @throws IllegalArgumentException if an argument has no value
   */
  static Map<String, String> arguments(String[] args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("expected --name value pairs, got an odd count");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      values.put(args[i], args[i + 1]);
    }
    return values;
  }
}
