package io.troupe.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class BackoffTest {

  @Test
  void shippedSettings_restartAPooledWorkerAtOnceForFourFailuresInARow() {
    Backoff shipped = TroupeSettings.create(TroupeSystem.config(ConfigFactory.empty())).backoff();

    assertThat(shipped.immediateRestarts()).isEqualTo(4);
    assertThat(shipped.minBackoff()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void fromConfig_withoutImmediateRestarts_backsOffOnEveryFailure() {
    Backoff backoff =
        Backoff.fromConfig(
            ConfigFactory.parseString(
                "min-backoff = 1s, max-backoff = 2s, random-factor = 0, max-restarts = -1"));

    assertThat(backoff.immediateRestarts()).isZero();
    assertThat(backoff.maxRestarts()).isEqualTo(-1);
  }

  @Test
  void constructor_whenImmediateRestartsNegative_failsWithClearMessage() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, -1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("immediate-restarts must be >= 0, was -1");
  }

  @Test
  void withMaxRestarts_keepsImmediateRestarts() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, -1, 3);

    assertThat(backoff.withMaxRestarts(5).immediateRestarts()).isEqualTo(3);
  }
}
