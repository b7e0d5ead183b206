package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The troupe command's contract: listing, output shape, exit codes and one-line errors. */
final class CliIT {

  @TempDir Path dir;

  @Test
  void list_printsEachPipelineAsNameTabDescription() throws Exception {
    TroupeProcess.Result r = TroupeProcess.run(dir, "list");

    assertThat(r.exitCode()).isZero();
    List<String> names = new ArrayList<>();
    for (String line : r.stdout().strip().split("\n")) {
      assertThat(line).matches("[a-z][a-z0-9-]*\t.+");
      names.add(line.substring(0, line.indexOf('\t')));
    }
    assertThat(names)
        .contains("wordcount", "primes", "montecarlo", "mandelbrot", "faulty")
        .isSorted();
  }

  @Test
  void run_withJsonFormat_printsExactlyOneObjectWithTheContractKeys() throws Exception {
    TroupeProcess.Result r =
        TroupeProcess.run(dir, "run", "faulty", "--n", "30", "--format", "json");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    JsonNode json = r.json();
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("job", "pipeline", "status", "result", "report");
    assertThat(json.get("status").asText()).isEqualTo("completed");
    assertThat(json.get("result").get("sum").asLong()).isEqualTo(465);
    assertThat(json.get("job").asText()).startsWith("faulty-");
    JsonNode report = json.get("report");
    for (String key :
        List.of(
            "wallMs",
            "nodes",
            "workers",
            "items",
            "itemsRetried",
            "itemsQuarantined",
            "itemsPerSec",
            "stages",
            "bottleneck")) {
      assertThat(report.has(key)).as("report has %s", key).isTrue();
    }
    assertThat(r.stdout().strip().lines().count()).isEqualTo(1);
  }

  @Test
  void run_whenAWorkerThrowsOnOneItem_quarantinesItCompletesTheRestAndExits1() throws Exception {
    TroupeProcess.Result r =
        TroupeProcess.run(dir, "run", "faulty", "--n", "40", "--fail", "13", "--format", "json");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    JsonNode json = r.json();
    assertThat(json.get("status").asText()).isEqualTo("completed_with_failures");
    assertThat(json.get("result").get("sum").asLong()).isEqualTo(40 * 41 / 2 - 13);
    JsonNode quarantined = json.get("result").get("quarantined");
    assertThat(quarantined).hasSize(1);
    assertThat(quarantined.get(0).get("item").asText()).isEqualTo("item-13");
    assertThat(quarantined.get(0).get("reason").asText())
        .isEqualTo("java.lang.IllegalStateException: item 13 is corrupt");
    assertThat(json.get("report").get("itemsRetried").asLong()).isEqualTo(2);
    assertThat(json.get("report").get("itemsQuarantined").asLong()).isEqualTo(1);
  }

  @Test
  void run_whenAWorkerHangsPastTheItemTimeout_retriesThenQuarantinesIt_andFinishes()
      throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("poison.conf"),
        // One item per worker at a time: an item queued behind the hung one in its worker's
        // mailbox would time out with it.
        "troupe.jobs { item-timeout = 1s, max-attempts = 2, max-in-flight-per-worker = 1,"
            + " retry-backoff { min = 50ms, max = 100ms } }\n");
    TroupeProcess.Result r =
        TroupeProcess.run(
            dir,
            "run",
            "faulty",
            "--n",
            "8",
            "--hang",
            "5",
            "--hang-ms",
            "8000",
            "--config",
            "poison.conf",
            "--format",
            "json");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    JsonNode json = r.json();
    assertThat(json.path("status").asText()).isEqualTo("completed_with_failures");
    assertThat(json.path("result").path("sum").asLong()).isEqualTo(8 * 9 / 2 - 5);
    JsonNode quarantined = json.path("result").path("quarantined");
    assertThat(quarantined).hasSize(1);
    assertThat(quarantined.get(0).path("item").asText()).isEqualTo("item-5");
    assertThat(quarantined.get(0).path("reason").asText())
        .startsWith("java.util.concurrent.TimeoutException: no answer within");
    assertThat(json.path("report").path("itemsRetried").asLong()).isEqualTo(1);
  }

  @Test
  void run_withJsonLogs_writesOneJsonObjectPerStderrLine_withTheWorkersJobAndItem()
      throws Exception {
    TroupeProcess.Result r =
        TroupeProcess.run(
            dir,
            Map.of("TROUPE_LOG_FORMAT", "json"),
            "run",
            "faulty",
            "--n",
            "5",
            "--fail",
            "3",
            "--verbose",
            "--format",
            "json");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    assertThat(r.json().path("status").asText()).isEqualTo("completed_with_failures");
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    JsonNode workerLine = null;
    int jsonLines = 0;
    for (String line : r.stderr().split("\n")) {
      if (line.isBlank() || line.startsWith("troupe: ")) {
        continue; // the CLI's own notes to the user, not log lines
      }
      JsonNode event = mapper.readTree(line);
      assertThat(event.path("level").asText()).as(line).isNotEmpty();
      assertThat(event.has("message")).as(line).isTrue();
      jsonLines++;
      if (event.path("message").asText().equals("Item 3 is corrupt; throwing")) {
        workerLine = event;
      }
    }
    assertThat(jsonLines).as("INFO lines of a --verbose run").isGreaterThan(3);
    assertThat(workerLine).as("the worker's own log line").isNotNull();
    assertThat(workerLine.path("troupeJob").asText()).isEqualTo(r.json().path("job").asText());
    assertThat(workerLine.path("troupeItem").asText()).isEqualTo("item-3");
    assertThat(workerLine.path("troupeStage").asText()).isEqualTo("add");
    assertThat(workerLine.path("troupePipeline").asText()).isEqualTo("faulty");
  }

  @Test
  void run_withTextLogs_namesTheJobAndItemOnAWorkersLine() throws Exception {
    TroupeProcess.Result r =
        TroupeProcess.run(dir, "run", "faulty", "--n", "5", "--fail", "3", "--format", "json");

    String job = r.json().path("job").asText();
    assertThat(r.stderr())
        .contains("job=" + job + " item=item-3 - Item 3 is corrupt; throwing")
        .doesNotContain("job= ")
        .doesNotContain("item= ");
  }

  @Test
  void run_withAnUnknownLogFormat_printsOneLineAndExits2() throws Exception {
    TroupeProcess.Result r =
        TroupeProcess.run(dir, Map.of("TROUPE_LOG_FORMAT", "xml"), "run", "faulty");
    assertOneLineUsageError(r, "troupe: TROUPE_LOG_FORMAT must be one of text, json, not 'xml'");
  }

  @Test
  void run_withUnknownPipeline_printsOneLineAndExits2() throws Exception {
    TroupeProcess.Result r = TroupeProcess.run(dir, "run", "nope");

    assertOneLineUsageError(r, "troupe: unknown pipeline 'nope'; known pipelines: ");
  }

  @Test
  void run_withBadPipelineFlag_printsOneLineAndExits2() throws Exception {
    TroupeProcess.Result r = TroupeProcess.run(dir, "run", "primes", "--bogus", "3");

    assertOneLineUsageError(r, "troupe: primes: Unknown options: '--bogus', '3'");
  }

  @Test
  void run_withBadTroupeFlag_printsOneLineAndExits2() throws Exception {
    TroupeProcess.Result r = TroupeProcess.run(dir, "run", "primes", "--workers", "zero");

    assertOneLineUsageError(r, "troupe run: Invalid value for option '--workers'");
  }

  @Test
  void run_withMissingInput_printsOneLineAndExits2() throws Exception {
    TroupeProcess.Result r =
        TroupeProcess.run(dir, "run", "wordcount", "--input", dir.resolve("absent.txt").toString());

    assertOneLineUsageError(r, "troupe: wordcount: --input: no such file or directory: ");
  }

  @Test
  void run_withOptionsThatWouldPlanTooManyItems_printsOneLineAndExits2() throws Exception {
    // 10^10 + 1 one-number segments: planning them would fill any heap; refused before that.
    TroupeProcess.Result r =
        TroupeProcess.run(dir, "run", "primes", "--limit", "10000000000", "--segment", "1");

    assertOneLineUsageError(
        r,
        "troupe: primes would plan 10,000,000,001 items, more than troupe.jobs.max-items"
            + " (10,000,000) allows");
  }

  @Test
  void run_withMissingConfigFile_printsOneLineAndExits2() throws Exception {
    TroupeProcess.Result r = TroupeProcess.run(dir, "run", "faulty", "--config", "nowhere.conf");

    assertOneLineUsageError(r, "troupe: --config: no such file: nowhere.conf");
  }

  @Test
  void run_withResumeOfUnknownJob_printsOneLineAndExits2() throws Exception {
    TroupeProcess.Result r = TroupeProcess.run(dir, "run", "faulty", "--resume", "faulty-x");

    assertOneLineUsageError(r, "troupe: no ledger for job faulty-x in ");
  }

  @Test
  void run_ofAPipelineWithoutSequentialReference_saysSoAndStillRunsTheJob() throws Exception {
    TroupeProcess.Result sequential = TroupeProcess.run(dir, "run", "tally", "--sequential");
    assertOneLineUsageError(
        sequential, "troupe: tally has no sequential reference; run it without --sequential");

    TroupeProcess.Result compared =
        TroupeProcess.run(dir, "run", "tally", "--compare-sequential", "--format", "json");
    assertThat(compared.exitCode()).as(compared.stderr()).isZero();
    assertThat(compared.stderr()).contains("tally has no sequential reference");
    JsonNode json = compared.json();
    assertThat(json.path("status").asText()).isEqualTo("completed");
    assertThat(json.path("result").path("items").asLong()).isEqualTo(10);
    assertThat(json.path("report").has("sequentialMs")).isTrue();
    assertThat(json.path("report").path("sequentialMs").isNull()).isTrue();

    TroupeProcess.Result options = TroupeProcess.run(dir, "run", "tally", "--n", "3");
    assertOneLineUsageError(options, "troupe: tally: takes no options, but was given [--n, 3]");

    TroupeProcess.Result help = TroupeProcess.run(dir, "run", "tally", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout()).contains("(no options)");
  }

  private static void assertOneLineUsageError(TroupeProcess.Result r, String prefix) {
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    List<String> lines = r.stderr().strip().lines().toList();
    assertThat(lines).as(r.stderr()).hasSize(1);
    assertThat(lines.get(0)).startsWith(prefix).doesNotContain("Exception");
  }
}
