package io.troupe.examples.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** The CLI's log level: warnings only by default, everything from INFO with --verbose. */
final class Logging {

  private Logging() {}

  /** Sets the root level of the bundled logback configuration. */
  static void configure(boolean verbose) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root
        && System.getProperty("logback.configurationFile") == null) {
      root.setLevel(verbose ? Level.INFO : Level.WARN);
    }
  }
}
