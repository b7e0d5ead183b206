package io.troupe.cluster.internal;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Job ids: readable, sortable by start time, unique enough to need no coordination. */
public final class JobIds {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private JobIds() {}

  /**
   * Returns a fresh job id: the pipeline, the local time and a random suffix, like {@code
   * wordcount-20261122-101500-3fa9}.
   *
   * @param pipeline the pipeline's name
   * @return the id
   */
  public static String next(String pipeline) {
    return pipeline
        + "-"
        + LocalDateTime.now().format(STAMP)
        + "-"
        + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }

  private static final Pattern GENERATED =
      Pattern.compile("([a-z][a-z0-9-]{0,39})-[0-9]{8}-[0-9]{6}-[0-9a-f]{4}");

  /**
   * Returns the pipeline an id made by {@link #next} names.
   *
   * @param id a job id
   * @return the pipeline's name, or empty if the id was not made by {@link #next}
   */
  public static java.util.Optional<String> pipelineOf(String id) {
    java.util.regex.Matcher m = GENERATED.matcher(id);
    return m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  /** Returns true if the string can be a job id (letters, digits, '.', '_', '-'; at most 128). */
  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }
}
