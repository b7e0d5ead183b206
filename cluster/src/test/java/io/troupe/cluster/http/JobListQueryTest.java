package io.troupe.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.persistence.registry.JobRegistry;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The query of GET /api/jobs: filters, times, paging, and one line for every bad value. */
final class JobListQueryTest {

  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static JobRegistry.Query parse(Map<String, String> params) {
    return JobListQuery.parse(params, NOW, UTC, 50, 500);
  }

  @Test
  void noParameters_listsEverythingOnThePageSize() {
    JobRegistry.Query q = parse(Map.of());
    assertThat(q).isEqualTo(new JobRegistry.Query(Set.of(), null, 0, 0, 50));
  }

  @Test
  void filtersAndPaging_areTakenAsGiven() {
    JobRegistry.Query q =
        parse(
            Map.of(
                "state", "running, Canceled",
                "pipeline", "primes",
                "limit", "500",
                "offset", "100"));
    assertThat(q.states()).containsExactlyInAnyOrder("running", "canceled");
    assertThat(q.pipeline()).isEqualTo("primes");
    assertThat(q.limit()).isEqualTo(500);
    assertThat(q.offset()).isEqualTo(100);
  }

  @ParameterizedTest
  @CsvSource({
    "30m, 2026-12-03T11:30:00Z",
    "2h, 2026-12-03T10:00:00Z",
    "7d, 2026-11-26T12:00:00Z",
    "15s, 2026-12-03T11:59:45Z",
    "2026-12-01T08:00:00Z, 2026-12-01T08:00:00Z",
    "2026-12-01T08:00, 2026-12-01T08:00:00Z",
    "2026-12-01, 2026-12-01T00:00:00Z"
  })
  void since_takesSpansInstantsLocalTimesAndDates(String since, String expected) {
    assertThat(parse(Map.of("since", since)).since())
        .isEqualTo(Instant.parse(expected).toEpochMilli());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "state|runing|state 'runing' is not one of starting, running, completed,"
            + " completed_with_failures, failed, canceled",
        "since|yesterday|since 'yesterday' is neither a time",
        "limit|0|limit '0' must be a whole number from 1 to 500",
        "limit|501|limit '501' must be a whole number from 1 to 500",
        "offset|-1|offset '-1' must be a whole number from 0 to",
        "pipeline|../x|pipeline '../x' is not a pipeline's name",
        "sort|desc|unknown parameter 'sort'",
        "since|+300000000-01-01T00:00:00Z|since '+300000000-01-01T00:00:00Z' is out of range"
      })
  void badValues_areRefusedWithOneLineNamingTheParameter(String name, String value, String error) {
    assertThatThrownBy(() -> parse(Map.of(name, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(error)
        .hasMessageNotContaining("\n");
  }
}
