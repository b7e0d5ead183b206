package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** troupe.pipelines: a node's defaults, a local user's, and what an operator or a test sets. */
final class PipelineSettingsTest {

  private static PipelineSettings settings(Config application) {
    return PipelineSettings.create(
        application.withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private static PipelineSettings local(Config application) {
    return settings(application.withFallback(PipelineSettings.LOCAL));
  }

  @Test
  void aNode_byDefault_readsAndWritesUnderDataInputAndOutput_andConnectsOnlyToPublicAddresses()
      throws Exception {
    PipelineSettings node = settings(ConfigFactory.empty());

    assertThat(node.confinement().inputRoots())
        .containsExactly(Path.of("data/input").toAbsolutePath());
    assertThat(node.confinement().outputRoots())
        .containsExactly(Path.of("data/output").toAbsolutePath());
    assertThat(node.confinement().isAllowed(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(node.isEnabled("wordcount")).isTrue();
  }

  @Test
  void aLocalUser_byDefault_hasTheWorkingDirectoryAndLoopback_unlessTheirConfigSaysOtherwise()
      throws Exception {
    PipelineSettings defaults = local(ConfigFactory.empty());
    PipelineSettings configured =
        local(
            ConfigFactory.parseString(
                "troupe.pipelines { input-roots = [\"/srv/in\"], allow-addresses = [] }"));

    assertThat(defaults.confinement().inputRoots()).containsExactly(Path.of("").toAbsolutePath());
    assertThat(defaults.confinement().isAllowed(InetAddress.getByName("::1"))).isTrue();
    assertThat(configured.confinement().inputRoots()).containsExactly(Path.of("/srv/in"));
    assertThat(configured.confinement().outputRoots())
        .containsExactly(Path.of("").toAbsolutePath());
    assertThat(configured.confinement().isAllowed(InetAddress.getByName("127.0.0.1"))).isFalse();
  }

  @Test
  void aString_asAnEnvironmentVariableGivesIt_isSplitIntoTheList() throws Exception {
    PipelineSettings node =
        settings(
            ConfigFactory.parseString(
                "troupe.pipelines { input-roots = \"/a:/b\", allow-addresses = \"10.0.0.0/8,"
                    + " 127.0.0.1\" }"));

    assertThat(node.confinement().inputRoots()).containsExactly(Path.of("/a"), Path.of("/b"));
    assertThat(node.confinement().isAllowed(InetAddress.getByName("10.1.1.1"))).isTrue();
    assertThat(node.confinement().isAllowed(InetAddress.getByName("127.0.0.1"))).isTrue();
  }

  @Test
  void enabled_listsThePipelinesANodeAcceptsOverHttp() {
    PipelineSettings node =
        settings(ConfigFactory.parseString("troupe.pipelines.enabled = [\"primes\"]"));

    assertThat(node.isEnabled("primes")).isTrue();
    assertThat(node.isEnabled("wordcount")).isFalse();
  }

  @Test
  void anAllowedAddressThatIsNotALiteral_stopsTheNodeNamingTheSetting() {
    assertThatThrownBy(
            () ->
                settings(
                    ConfigFactory.parseString(
                        "troupe.pipelines.allow-addresses = [\"intranet.example\"]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "troupe.pipelines.allow-addresses: not an IP address literal: 'intranet.example'");
  }
}
