package io.troupe.cluster.http;

import io.troupe.persistence.registry.JobRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query of {@code GET /api/jobs} (and so of {@code troupe status}): {@code state} (one or more,
 * comma-separated), {@code pipeline}, {@code since} (an instant such as {@code
 * 2026-12-03T10:00:00Z}, a local date-time or date of the node's zone, or a span back from now such
 * as {@code 30m}, {@code 2h} or {@code 7d}), {@code limit} and {@code offset}. Every bad value is
 * refused with one line naming the parameter.
 */
final class JobListQuery {

  /** The states a job can be listed in. */
  static final Set<String> STATES =
      Set.of("starting", "running", "completed", "completed_with_failures", "failed", "canceled");

  private static final Pattern SPAN = Pattern.compile("(\\d{1,9})([smhd])");
  private static final Pattern PIPELINE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Set<String> KNOWN = Set.of("state", "pipeline", "since", "limit", "offset");

  private JobListQuery() {}

  /**
   * Parses a listing's query parameters.
   *
   * @param params the parameters
   * @param now the time {@code since} spans count back from
   * @param zone the zone of local dates and times
   * @param pageSize the limit when none is given
   * @param maxPageSize the largest limit allowed
   * @return the registry query
   * @throws IllegalArgumentException with a one-line reason if a value is bad
   */
  static JobRegistry.Query parse(
      Map<String, String> params, Instant now, ZoneId zone, int pageSize, int maxPageSize) {
    for (String name : params.keySet()) {
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException(
            "unknown parameter '"
                + shorten(name)
                + "'; known: state, pipeline, since, limit, offset");
      }
    }
    Set<String> states = new LinkedHashSet<>();
    String state = params.get("state");
    if (state != null) {
      for (String s : state.split(",", -1)) {
        String one = s.strip().toLowerCase(Locale.ROOT);
        if (!STATES.contains(one)) {
          throw new IllegalArgumentException(
              "state '"
                  + shorten(s)
                  + "' is not one of starting, running, completed, completed_with_failures,"
                  + " failed, canceled");
        }
        states.add(one);
      }
    }
    String pipeline = params.get("pipeline");
    if (pipeline != null && !PIPELINE.matcher(pipeline).matches()) {
      throw new IllegalArgumentException(
          "pipeline '" + shorten(pipeline) + "' is not a pipeline's name");
    }
    long since;
    try {
      since = params.containsKey("since") ? since(params.get("since"), now, zone) : 0;
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "since '" + shorten(params.get("since")) + "' is out of range");
    }
    int limit = number(params, "limit", pageSize, 1, maxPageSize);
    int offset = number(params, "offset", 0, 0, Integer.MAX_VALUE);
    return new JobRegistry.Query(states, pipeline, since, offset, limit);
  }

  private static long since(String value, Instant now, ZoneId zone) {
    String v = value.strip();
    Matcher span = SPAN.matcher(v);
    if (span.matches()) {
      long n = Long.parseLong(span.group(1));
      Duration back =
          switch (span.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return now.minus(back).toEpochMilli();
    }
    try {
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException notAnInstant) {
      // A local date-time or date, in the node's zone.
    }
    try {
      return LocalDateTime.parse(v).atZone(zone).toInstant().toEpochMilli();
    } catch (DateTimeParseException notADateTime) {
      // A date.
    }
    try {
      return LocalDate.parse(v).atStartOfDay(zone).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "since '"
              + shorten(value)
              + "' is neither a time (2026-12-03T10:00:00Z, 2026-12-03T10:00, 2026-12-03) nor a"
              + " span back from now (30m, 2h, 7d)");
    }
  }

  private static int number(Map<String, String> params, String name, int absent, int min, int max) {
    String value = params.get(name);
    if (value == null) {
      return absent;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Refused below, with the range.
    }
    throw new IllegalArgumentException(
        name + " '" + shorten(value) + "' must be a whole number from " + min + " to " + max);
  }

  private static String shorten(String value) {
    String oneLine = value.replaceAll("\\p{Cntrl}", " ");
    return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "…";
  }
}
