package io.troupe.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.bench.scale.ScaleOptions.Setup;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ScaleOptionsTest {

  @Test
  void parse_withoutArguments_runsTheDefaultSizesOnEverySetupWithTheTargetHeap() {
    ScaleOptions options = ScaleOptions.parse();

    assertThat(options.sizes()).containsExactly(10_000L, 100_000L, 1_000_000L);
    assertThat(options.setups())
        .containsExactly(Setup.H2, Setup.POSTGRES, Setup.LISTED, Setup.THREE);
    assertThat(options.xmx()).isEqualTo("512m");
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(options.warmup()).isEqualTo(100_000L);
    assertThat(options.dispatch()).isTrue();
    assertThat(options.idleActors()).isTrue();
  }

  @Test
  void parse_sizesInEveryForm_sortsThemAndDropsRepeats() {
    assertThat(ScaleOptions.parse("--sizes", "10^7,1e4,100_000,10000").sizes())
        .isEqualTo(List.of(10_000L, 100_000L, 10_000_000L));
  }

  @Test
  void parseCount_rejectsFractionsAndOtherBases() {
    assertThat(ScaleOptions.parseCount("2e3")).isEqualTo(2_000L);
    assertThatThrownBy(() -> ScaleOptions.parseCount("2.5e3"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScaleOptions.parseCount("2^10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2^10");
  }

  @Test
  void parse_sizeBeyondTheSieve_saysWhatIsAllowed() {
    assertThatThrownBy(() -> ScaleOptions.parse("--sizes", "1e14"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--sizes must be between 1 and " + ScaleOptions.MAX_SIZE);
  }

  @Test
  void parse_setupsHeapAndOnly_areRead() {
    ScaleOptions options =
        ScaleOptions.parse(
            "--setups", "memory,H2", "--xmx", "2G", "--only", "dispatch", "--timeout", "30");

    assertThat(options.setups()).containsExactly(Setup.MEMORY, Setup.H2);
    assertThat(options.xmx()).isEqualTo("2g");
    assertThat(options.idleActors()).isFalse();
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void parse_badValues_failWithOneLine() {
    assertThatThrownBy(() -> ScaleOptions.parse("--xmx", "lots"))
        .hasMessage("--xmx takes a heap size like 512m or 2g, was lots");
    assertThatThrownBy(() -> ScaleOptions.parse("--setups", "mysql"))
        .hasMessageContaining("unknown setup mysql");
    assertThatThrownBy(() -> ScaleOptions.parse("--only", "both"))
        .hasMessage("--only takes dispatch or actors, was both");
    assertThatThrownBy(() -> ScaleOptions.parse("--sizes")).hasMessage("--sizes needs a value");
    assertThatThrownBy(() -> ScaleOptions.parse("--fast")).hasMessage("unknown option --fast");
  }
}
