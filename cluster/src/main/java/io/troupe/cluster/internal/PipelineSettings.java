package io.troupe.cluster.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueType;
import io.troupe.sdk.Confinement;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What jobs may do on this node, read once from {@code troupe.pipelines} (documented in {@code
 * reference.conf}): the {@link Confinement} their options are parsed under, and which pipelines the
 * node accepts over HTTP.
 */
public final class PipelineSettings {

  /**
   * The defaults of a local user's embedded node ({@code troupe run}, the test kit): the working
   * directory as input and output root, loopback addresses allowed; the environment variables of
   * {@code reference.conf} still override them. Use it as a fallback below the user's own settings,
   * and resolve the result.
   */
  public static final Config LOCAL =
      ConfigFactory.parseString(
          String.join(
              "\n",
              "troupe.pipelines {",
              "  input-roots = [\".\"]",
              "  input-roots = ${?TROUPE_INPUT_ROOTS}",
              "  output-roots = [\".\"]",
              "  output-roots = ${?TROUPE_OUTPUT_ROOTS}",
              "  allow-addresses = [\"127.0.0.0/8\", \"::1\"]",
              "  allow-addresses = ${?TROUPE_ALLOW_ADDRESSES}",
              "}"),
          ConfigParseOptions.defaults()
              .setOriginDescription("a local user's defaults (troupe run, test kit)"));

  private final Confinement confinement;
  private final List<String> enabled;

  private PipelineSettings(Config pipelines) {
    try {
      this.confinement =
          Confinement.of(
              paths(pipelines, "input-roots"),
              paths(pipelines, "output-roots"),
              list(pipelines, "allow-addresses", ","));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("troupe.pipelines.allow-addresses: " + e.getMessage(), e);
    }
    this.enabled = List.copyOf(pipelines.getStringList("enabled"));
  }

  /**
   * Reads the settings from a resolved config.
   *
   * @param config the full config
   * @return the settings
   * @throws IllegalArgumentException if an allowed address is not an address or range literal
   */
  public static PipelineSettings create(Config config) {
    return new PipelineSettings(config.getConfig("troupe.pipelines"));
  }

  /** Returns where jobs may read, write and connect on this node. */
  public Confinement confinement() {
    return confinement;
  }

  /**
   * Returns whether this node accepts jobs of a pipeline over HTTP.
   *
   * @param pipeline the pipeline's name
   * @return true if {@code troupe.pipelines.enabled} lists it or {@code "*"}
   */
  public boolean isEnabled(String pipeline) {
    return enabled.contains("*") || enabled.contains(pipeline);
  }

  private static List<Path> paths(Config c, String key) {
    return list(c, key, File.pathSeparator).stream().map(Path::of).toList();
  }

  /** A list, or a string (from an environment variable) split at the separator. */
  private static List<String> list(Config c, String key, String separator) {
    if (c.getValue(key).valueType() == ConfigValueType.STRING) {
      return Arrays.stream(c.getString(key).split(java.util.regex.Pattern.quote(separator)))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toList();
    }
    return c.getStringList(key);
  }
}
