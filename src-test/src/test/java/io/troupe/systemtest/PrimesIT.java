package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** primes matches pi(N) for N = 10^k, through the real CLI and the job runtime. */
final class PrimesIT {

  @TempDir Path dir;

  @ParameterizedTest(name = "pi(10^{0}) = {1}")
  @CsvSource({
    "1, 4, 7",
    "2, 25, 97",
    "3, 168, 997",
    "4, 1229, 9973",
    "5, 9592, 99991",
    "6, 78498, 999983",
    "7, 664579, 9999991",
    "8, 5761455, 99999989"
  })
  void run_matchesPiOfPowersOfTen(int k, long pi, long largest) throws Exception {
    long limit = (long) Math.pow(10, k);
    // Small segments so even small limits are split over several items and workers.
    long segment = Math.max(3, limit / 7);
    TroupeProcess.Result r =
        TroupeProcess.run(
            dir,
            "run",
            "primes",
            "--limit",
            Long.toString(limit),
            "--segment",
            Long.toString(segment),
            "--workers",
            "3",
            "--format",
            "json");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    JsonNode result = r.json().get("result");
    assertThat(result.get("count").asLong()).isEqualTo(pi);
    assertThat(result.get("largest").asLong()).isEqualTo(largest);
  }
}
