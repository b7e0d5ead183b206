package io.troupe.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.bench.scale.ScaleOptions.Setup;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ScaleTablesTest {

  private static CaseResult job(long items, long wallMs, long pauseMs, long peakBytes) {
    String json =
        """
        {"outcome":"ok","items":%d,"wallNanos":%d,"samplePauseNanos":%d,"reportWallMs":%d,
         "reportItemsPerSec":1.0,"plannedNanos":1000000,"sieveNanosPerItem":3000.0,
         "baselineBytes":1000000,"state":"completed","completed":%d,"count":664579,
         "expected":664579,"exact":true,
         "samples":[{"at":"planned","completed":0,"bytes":%d},
                    {"at":"50%%","completed":%d,"bytes":%d},
                    {"at":"end","completed":%d,"bytes":1500000}]}
        """
            .formatted(
                items,
                wallMs * 1_000_000,
                pauseMs * 1_000_000,
                wallMs,
                items,
                peakBytes,
                items / 2,
                peakBytes - 1,
                items)
            .replace("\n", " ");
    return CaseResult.parse(CaseResult.PREFIX + json, 5_000_000_000L).orElseThrow();
  }

  @Test
  void parse_ignoresLinesThatAreNotResults() {
    assertThat(CaseResult.parse("heap at 50%", 1)).isEmpty();
    assertThat(CaseResult.parse(CaseResult.PREFIX + "not json", 1)).isEmpty();
  }

  @Test
  void figures_leaveOutTheHeapReadingsPausesAndSubtractTheBaseline() {
    CaseResult r = job(10_001, 3_000, 500, 11_001_000);

    assertThat(ScaleTables.itemsPerSec(r)).isEqualTo(10_001 / 2.5);
    assertThat(ScaleTables.peakBytesPerItem(r)).isEqualTo(1_000.0);
    assertThat(ScaleTables.midBytesPerItem(r)).isEqualTo(10_000_999.0 / 10_001);
  }

  @Test
  void peak_isAFullGcUnderPressureWhereItSawMoreThanTheReadings() {
    CaseResult r = job(10_001, 3_000, 0, 11_001_000);
    ((com.fasterxml.jackson.databind.node.ObjectNode) r.json())
        .put("watchPeakBytes", 21_002_000)
        .put("watchPeakAt", "planning");

    assertThat(ScaleTables.peakBytesPerItem(r)).isEqualTo(2_000.0);
    assertThat(ScaleTables.peakAt(r)).isEqualTo("pressure GC while planning");
    assertThat(ScaleTables.peakAt(job(10_001, 3_000, 0, 11_001_000))).isEqualTo("planned");
  }

  @Test
  void growth_comparesEachSizeWithTheSmallestOfItsSetup() {
    List<ScaleTables.JobRow> rows =
        List.of(
            new ScaleTables.JobRow(
                Setup.H2, 10_000, "512m", List.of(job(10_001, 2_000, 0, 11_001_000))),
            new ScaleTables.JobRow(
                Setup.H2, 100_000, "512m", List.of(job(100_001, 40_000, 0, 401_004_000))));

    String table = ScaleTables.growth(rows, List.of(Setup.H2));

    assertThat(table).contains("| 10^4 (10,001) | 5,001 | (base) | 1,000 | (base) |");
    assertThat(table).contains("| 10^5 (100,001) | 2,500 | 0.50× | 4,000 | 4.00× |");
  }

  @Test
  void rows_whoseRoundsAllFailed_sayWhyInEveryTable() {
    CaseResult oom = CaseResult.of(CaseResult.OOM, "OOM (-Xmx512m)", 60_000_000_000L);
    List<ScaleTables.JobRow> rows =
        List.of(new ScaleTables.JobRow(Setup.THREE, 1_000_000, "512m", List.of(oom)));

    assertThat(ScaleTables.throughput(rows)).contains("| 10^6 (1,000,001) | OOM (-Xmx512m) |");
    assertThat(ScaleTables.heap(rows)).contains("| -Xmx512m | OOM (-Xmx512m) |");
    assertThat(ScaleTables.growth(rows, List.of(Setup.THREE))).contains("OOM (-Xmx512m)");
  }

  @Test
  void exact_namesWhatWasWrongWhenTheCountDiffers() {
    CaseResult wrong =
        CaseResult.parse(
                CaseResult.PREFIX
                    + "{\"outcome\":\"ok\",\"items\":11,\"exact\":false,\"state\":\"completed\","
                    + "\"completed\":11,\"count\":4,\"expected\":1229}",
                1)
            .orElseThrow();

    assertThat(new ScaleTables.JobRow(Setup.H2, 10, "512m", List.of(wrong)).exact())
        .isEqualTo("**no**: completed, 11 of 11 items, count 4 ≠ 1,229");
  }

  @Test
  void actors_judgeTheTargetPerMillionActors() {
    CaseResult small =
        CaseResult.parse(
                CaseResult.PREFIX
                    + "{\"outcome\":\"ok\",\"spawnNanos\":1000000000,"
                    + "\"baselineBytes\":1000000,\"liveBytes\":8000000}",
                1)
            .orElseThrow();

    String table =
        ScaleTables.actors(
            List.of(new ScaleTables.ActorRow("Troupe", 10_000, "256m", List.of(small))));

    assertThat(table)
        .contains("| Troupe | 10,000 | -Xmx256m | 1,000 ms | 6.7 MiB | 700 | 668 MiB | no |");
  }

  @Test
  void sizeLabel_writesPowersOfTenAsSuch() {
    assertThat(ScaleTables.sizeLabel(10_000_000)).isEqualTo("10^7");
    assertThat(ScaleTables.sizeLabel(1)).isEqualTo("10^0");
    assertThat(ScaleTables.sizeLabel(25_000)).isEqualTo("25,000");
  }
}
