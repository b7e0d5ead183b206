package io.troupe.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The CLI's logging: warnings only by default (stdout carries results), everything from INFO with
 * --verbose; nodes log through the operator's {@code config/logback.xml}.
 */
final class Logging {

  /** The environment variable that picks the log format. */
  static final String FORMAT_VARIABLE = "TROUPE_LOG_FORMAT";

  /** The log formats: readable lines, or one JSON object per line (Logstash's encoder). */
  static final java.util.List<String> FORMATS = java.util.List.of("text", "json");

  private Logging() {}

  /** Sets the root level of the bundled logback configuration. */
  static void configure(boolean verbose) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root
        && System.getProperty("logback.configurationFile") == null) {
      root.setLevel(verbose ? Level.INFO : Level.WARN);
    }
  }

  /**
   * Configures logging for a node: {@code $TROUPE_HOME/config/logback.xml} when it exists (and no
   * file was named with {@code -Dlogback.configurationFile}), else the bundled configuration at
   * INFO.
   */
  static void forNode() {
    String home = System.getProperty("troupe.home");
    Path file = home == null ? null : Path.of(home, "config", "logback.xml");
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    if (file != null
        && Files.isRegularFile(file)
        && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      try {
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        configurator.doConfigure(file.toFile());
        return;
      } catch (JoranException e) {
        System.err.println("troupe: cannot read " + file + ", logging at INFO: " + e.getMessage());
      }
    }
    configure(true);
  }
}
