package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The logback files an operator gets: the node's {@code config/logback.xml} and the CLI's bundled
 * one, in both values of {@code TROUPE_LOG_FORMAT}. Each runs in a private logger context, so the
 * test JVM's own logging is untouched.
 */
final class LogFormatTest {

  private static final Path NODE_CONFIG = Path.of("..", "config", "logback.xml");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one configuration printed: its lines on stdout and on stderr. */
  private record Printed(List<String> out, List<String> err) {}

  @Test
  void nodeConfig_inJson_printsOneObjectPerLine_withTheWorkersMdc() throws Exception {
    Printed printed = logThrough(NODE_CONFIG.toUri().toURL(), "json");

    assertThat(printed.err()).isEmpty();
    assertThat(printed.out()).hasSize(2);
    JsonNode plain = JSON.readTree(printed.out().get(0));
    JsonNode worker = JSON.readTree(printed.out().get(1));
    assertThat(plain.path("level").asText()).isEqualTo("INFO");
    assertThat(plain.path("message").asText()).isEqualTo("Node up");
    assertThat(plain.has("troupeJob")).isFalse();
    assertThat(worker.path("level").asText()).isEqualTo("WARN");
    assertThat(worker.path("message").asText()).isEqualTo("Item 3 is corrupt");
    assertThat(worker.path("logger_name").asText()).isEqualTo("test.worker");
    assertThat(worker.path("troupeJob").asText()).isEqualTo("sum-1");
    assertThat(worker.path("troupePipeline").asText()).isEqualTo("sum");
    assertThat(worker.path("troupeItem").asText()).isEqualTo("n-3");
    assertThat(worker.path("troupeStage").asText()).isEqualTo("add");
  }

  @Test
  void nodeConfig_inText_namesTheJobAndItemOnlyOnLinesThatHaveThem() throws Exception {
    Printed printed = logThrough(NODE_CONFIG.toUri().toURL(), "text");

    assertThat(printed.err()).isEmpty();
    assertThat(printed.out()).hasSize(2);
    assertThat(printed.out().get(0))
        .contains("INFO ")
        .endsWith("test.worker - Node up")
        .doesNotContain("job=");
    assertThat(printed.out().get(1))
        .contains("WARN ")
        .endsWith("test.worker job=sum-1 item=n-3 - Item 3 is corrupt");
  }

  @Test
  void cliConfig_inJson_printsObjectsOnStderrOnly() throws Exception {
    URL bundled = Objects.requireNonNull(Logging.class.getResource("/logback.xml"));
    Printed printed = logThrough(bundled, "json");

    assertThat(printed.out()).as("stdout carries only results").isEmpty();
    assertThat(printed.err()).as("warnings only by default").hasSize(1);
    JsonNode worker = JSON.readTree(printed.err().get(0));
    assertThat(worker.path("message").asText()).isEqualTo("Item 3 is corrupt");
    assertThat(worker.path("troupeItem").asText()).isEqualTo("n-3");
  }

  /**
   * Configures a private logger context from {@code config} with {@code TROUPE_LOG_FORMAT} set to
   * {@code format}, logs an INFO line without and a WARN line with a worker's MDC, and returns what
   * it printed.
   */
  private static Printed logThrough(URL config, String format) throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    // Logback looks a variable up in the context before the environment.
    context.putProperty(Logging.FORMAT_VARIABLE, format);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    // Console appenders write to whatever System.out and System.err are when they write.
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(config);
      assertThat(new StatusUtil(context).getHighestLevel(0))
          .as("logback's status while reading " + config)
          .isLessThan(Status.ERROR);
      Logger log = context.getLogger("test.worker");
      log.info("Node up");
      MDC.put("troupeJob", "sum-1");
      MDC.put("troupePipeline", "sum");
      MDC.put("troupeItem", "n-3");
      MDC.put("troupeStage", "add");
      try {
        log.warn("Item {} is corrupt", 3);
      } finally {
        MDC.clear();
      }
      context.stop(); // drains the node's asynchronous appender
    } finally {
      System.setOut(systemOut);
      System.setErr(systemErr);
    }
    return new Printed(lines(out), lines(err));
  }

  /** The lines this test logged; other tests' actor systems may still be writing. */
  private static List<String> lines(ByteArrayOutputStream bytes) {
    List<String> lines = new ArrayList<>();
    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.contains("test.worker")) {
        lines.add(line);
      }
    }
    return lines;
  }
}
