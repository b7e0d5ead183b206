package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How many items a host lets each worker hold, and how often it looks for overdue ones. */
final class JobHostCreditTest {

  private static final long TWO_MS = 2_000_000;

  @Test
  void workerCredit_holdsAboutTheTargetOfWork_withinItsBounds() {
    assertThat(JobHost.workerCredit(TWO_MS, 20_000, 2, 128)).as("20 µs items").isEqualTo(100);
    assertThat(JobHost.workerCredit(TWO_MS, 1_000, 2, 128)).as("1 µs items").isEqualTo(128);
    assertThat(JobHost.workerCredit(TWO_MS, 5_000_000, 2, 128)).as("5 ms items").isEqualTo(2);
    assertThat(JobHost.workerCredit(TWO_MS, 0, 2, 128)).as("not measured yet").isEqualTo(128);
  }

  @Test
  void overdueCheckInterval_isAQuarterOfTheTimeout_betweenTenMillisAndTheHeartbeat() {
    Duration heartbeat = Duration.ofSeconds(2);
    assertThat(JobHost.overdueCheckInterval(Duration.ofMinutes(5), heartbeat)).isEqualTo(heartbeat);
    assertThat(JobHost.overdueCheckInterval(Duration.ofSeconds(1), heartbeat))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(JobHost.overdueCheckInterval(Duration.ofMillis(20), heartbeat))
        .isEqualTo(Duration.ofMillis(10));
  }
}
