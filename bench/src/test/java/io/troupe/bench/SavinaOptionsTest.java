package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

final class SavinaOptionsTest {

  @Test
  void parse_withoutArguments_choosesTheFullRun() {
    SavinaOptions options = SavinaOptions.parse();

    assertThat(options.warmups()).isEqualTo(SavinaOptions.FULL_WARMUPS);
    assertThat(options.rounds()).isEqualTo(SavinaOptions.FULL_ROUNDS);
    assertThat(options.only()).isEmpty();
    assertThat(options.jdk()).isTrue();
  }

  @Test
  void parse_quickWithRounds_keepsQuickWarmupsAndTheGivenRounds() {
    SavinaOptions options = SavinaOptions.parse("--quick", "--rounds", "7");

    assertThat(options.warmups()).isEqualTo(SavinaOptions.QUICK_WARMUPS);
    assertThat(options.rounds()).isEqualTo(7);
  }

  @Test
  void parse_only_splitsAndLowerCasesNames() {
    assertThat(SavinaOptions.parse("--only", "PingPong, Big").only())
        .isEqualTo(List.of("pingpong", "big"));
  }

  @Test
  void parse_troupeConfig_layersLaterSettingsOverEarlierOnes() {
    SavinaOptions options =
        SavinaOptions.parse(
            "--troupe-config", "troupe.actors.throughput = 20",
            "--troupe-config", "troupe.actors.throughput = 50");

    assertThat(options.troupeApplicationConfig().getInt("troupe.actors.throughput")).isEqualTo(50);
  }

  @Test
  void parse_unknownArgument_throwsNamingIt() {
    assertThatThrownBy(() -> SavinaOptions.parse("--fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown argument: --fast");
  }

  @Test
  void parse_roundsBelowOne_throws() {
    assertThatThrownBy(() -> SavinaOptions.parse("--rounds", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--rounds must be >= 1, was 0");
  }

  @Test
  void parse_roundsWithoutValue_throws() {
    assertThatThrownBy(() -> SavinaOptions.parse("--rounds"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--rounds needs a value");
  }

  @Test
  void parse_invalidHocon_throws() {
    assertThatThrownBy(() -> SavinaOptions.parse("--troupe-config", "a = {"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--troupe-config is not valid HOCON");
  }
}
