package io.troupe.cluster.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.TroupeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading {@code troupe.cluster.bootstrap}: defaults, contact points, and one-line refusals. */
final class BootstrapSettingsTest {

  private static Config config(String hocon) {
    return TroupeNode.config(
        ConfigFactory.parseString("pekko.management.http.port = 8551\n" + hocon));
  }

  @Test
  void create_byDefault_isOff_andTheNodeUsesSeeds() {
    BootstrapSettings settings = BootstrapSettings.create(config(""));
    assertThat(settings.enabled()).isFalse();
    assertThat(settings.method()).isEqualTo(BootstrapSettings.Method.CONFIG);
    assertThat(settings.requiredContactPoints()).isEqualTo(2);
    assertThat(settings.stableMargin()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.probeInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.formationTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.kubernetes().apiUrl()).isEqualTo("https://kubernetes.default.svc");
    assertThat(settings.kubernetes().portName()).isEqualTo("management");
    assertThat(TroupeNode.Membership.configured(config(""))).isEqualTo(TroupeNode.Membership.SEEDS);
  }

  @Test
  void create_contactPoints_withoutPortTakeTheNodesHttpPort() {
    BootstrapSettings settings =
        BootstrapSettings.create(
            config(
                "troupe.cluster.bootstrap { enabled = on, discovery.config.contact-points ="
                    + " [\"10.0.0.5\", \"node-2:9000\", \"[fd00::7]:8551\", \"[fd00::8]\"] }"));
    assertThat(settings.contactPoints())
        .containsExactly(
            new ContactPoint("10.0.0.5", 8551),
            new ContactPoint("node-2", 9000),
            new ContactPoint("fd00::7", 8551),
            new ContactPoint("fd00::8", 8551));
    assertThat(settings.contactPoints().get(2).uri("https", "/x").toString())
        .isEqualTo("https://[fd00::7]:8551/x");
    assertThat(
            TroupeNode.Membership.configured(
                config(
                    "troupe.cluster.bootstrap { enabled = on,"
                        + " discovery.config.contact-points = [\"a\"] }")))
        .isEqualTo(TroupeNode.Membership.BOOTSTRAP);
  }

  @Test
  void create_enabledWithSeedNodes_isRefusedInOneLineNamingBothKeys() {
    assertThatThrownBy(
            () ->
                BootstrapSettings.create(
                    config(
                        "troupe.cluster.bootstrap { enabled = on,"
                            + " discovery.config.contact-points = [\"a\"] }\n"
                            + "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:2551\"]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("troupe.cluster.bootstrap.enabled")
        .hasMessageContaining("pekko.cluster.seed-nodes")
        .hasMessageNotContaining("\n");
  }

  @Test
  void shippedBootstrapConf_withContactPoints_isBootstrapWithoutSeeds_andWithoutIsRefused() {
    Config file = ConfigFactory.parseFile(Path.of("../config/cluster/bootstrap.conf").toFile());
    Config withPoints =
        TroupeNode.config(
            ConfigFactory.parseString(
                    "troupe.cluster.bootstrap.discovery.config.contact-points ="
                        + " [\"127.0.0.1:8551\", \"127.0.0.1:8552\", \"127.0.0.1:8553\"]")
                .withFallback(file));
    assertThat(TroupeNode.Membership.configured(withPoints))
        .isEqualTo(TroupeNode.Membership.BOOTSTRAP);
    assertThat(withPoints.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    assertThat(BootstrapSettings.create(withPoints).requiredContactPoints()).isEqualTo(3);
    assertThatThrownBy(() -> TroupeNode.Membership.configured(TroupeNode.config(file)))
        .hasMessageContaining("troupe.cluster.bootstrap.discovery.config.contact-points is empty");
  }

  @Test
  void create_badValues_areRefusedNamingTheKey() {
    for (List<String> bad :
        List.of(
            List.of("discovery.config.contact-points = []", "contact-points is empty"),
            List.of("discovery.config.contact-points = [\"a:b\"]", "bad port"),
            List.of("discovery.config.contact-points = [\"fd00::1\"]", "in brackets"),
            List.of("discovery.method = dns", "discovery.method must be"),
            List.of("required-contact-points = 0", "required-contact-points must be"),
            List.of("probe-interval = 0s", "probe-interval must be positive"))) {
      String hocon =
          "troupe.cluster.bootstrap { enabled = on, discovery.config.contact-points = [\"a\"] }\n"
              + "troupe.cluster.bootstrap."
              + bad.get(0);
      assertThatThrownBy(() -> BootstrapSettings.create(config(hocon)))
          .as(bad.get(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad.get(1))
          .hasMessageContaining("troupe.cluster.bootstrap.");
    }
  }
}
