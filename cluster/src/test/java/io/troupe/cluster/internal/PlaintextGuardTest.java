package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.TroupeNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which bindings {@link PlaintextGuard} lets start in plain text: names are resolved (by a fake
 * resolver where a name is not an address literal) and classified; nothing is bound or connected.
 */
final class PlaintextGuardTest {

  /** Address literals as the JDK parses them; a few names as a fake DNS answers them. */
  private static final Map<String, String[]> NAMES =
      Map.of(
          "localhost", new String[] {"127.0.0.1", "::1"},
          "loopback-alias", new String[] {"127.0.1.1"},
          "split-horizon", new String[] {"127.0.0.1", "10.1.2.3"},
          "node1.internal", new String[] {"10.1.2.3"},
          "127.evil.example", new String[] {"203.0.113.7"});

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    String[] answer = NAMES.get(host);
    if (answer == null) {
      if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) {
        throw new UnknownHostException(host);
      }
      // A literal: parsed, never looked up.
      return new InetAddress[] {InetAddress.getByName(host)};
    }
    InetAddress[] all = new InetAddress[answer.length];
    for (int i = 0; i < answer.length; i++) {
      all[i] = InetAddress.getByName(answer[i]);
    }
    return all;
  }

  @Test
  void refusal_whenArteryBindsBeyondLoopbackInPlainText_namesTlsConfAndTheSetting() {
    Config config = node("pekko.remote.artery.canonical.hostname = 10.1.2.3");

    assertThat(PlaintextGuard.refusal(config, PlaintextGuardTest::resolve))
        .contains(
            "Artery binds 10.1.2.3 in plain text; include config/security/tls.conf (or set"
                + " troupe.security.allow-plaintext = on for a trusted network)");
  }

  @Test
  void refusal_whenHttpBindsBeyondLoopbackInPlainText_namesTheHttpsSetting() {
    Config config = node("pekko.management.http.hostname = 0.0.0.0");

    assertThat(PlaintextGuard.refusal(config, PlaintextGuardTest::resolve))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith("the HTTP endpoint binds 0.0.0.0 in plain text;")
                    .contains("troupe.http.tls.enabled = on")
                    .contains("troupe.security.allow-plaintext = on")
                    .doesNotContain("\n"));
  }

  @Test
  void refusal_whenBothBindTheSameHost_isOneLineForBoth() {
    Config config =
        node(
            "pekko.remote.artery.canonical.hostname = node1.internal\n"
                + "pekko.management.http.hostname = node1.internal");

    assertThat(PlaintextGuard.refusal(config, PlaintextGuardTest::resolve))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith("Artery and the HTTP endpoint bind node1.internal in plain text;")
                    .contains("config/security/tls.conf"));
  }

  @Test
  void refusal_arteryBindHostnameWinsOverCanonical() {
    Config behindNat =
        node(
            "pekko.remote.artery.canonical.hostname = 10.1.2.3\n"
                + "pekko.remote.artery.bind.hostname = 127.0.0.1");
    Config everyInterface =
        node(
            "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                + "pekko.remote.artery.bind.hostname = 0.0.0.0");

    assertThat(PlaintextGuard.refusal(behindNat, PlaintextGuardTest::resolve)).isEmpty();
    assertThat(PlaintextGuard.refusal(everyInterface, PlaintextGuardTest::resolve))
        .hasValueSatisfying(line -> assertThat(line).startsWith("Artery binds 0.0.0.0 "));
  }

  @Test
  void refusal_isEmpty_onLoopback_withTls_orWhenPlaintextIsAllowed() {
    String exposed =
        "pekko.remote.artery.canonical.hostname = 10.1.2.3\n"
            + "pekko.management.http.hostname = 10.1.2.3\n";

    assertThat(PlaintextGuard.refusal(node(""), PlaintextGuardTest::resolve))
        .as("the defaults bind loopback")
        .isEmpty();
    assertThat(
            PlaintextGuard.refusal(
                node(
                    "pekko.remote.artery.canonical.hostname = localhost\n"
                        + "pekko.management.http.hostname = \"::1\""),
                PlaintextGuardTest::resolve))
        .isEmpty();
    assertThat(
            PlaintextGuard.refusal(
                node(
                    exposed
                        + "pekko.remote.artery.transport = tls-tcp\n"
                        + "troupe.http.tls.enabled = on"),
                PlaintextGuardTest::resolve))
        .isEmpty();
    assertThat(
            PlaintextGuard.refusal(
                node(exposed + "troupe.security.allow-plaintext = on"),
                PlaintextGuardTest::resolve))
        .isEmpty();
    assertThat(
            PlaintextGuard.refusal(
                node(exposed + "pekko.remote.artery.transport = tls-tcp"),
                PlaintextGuardTest::resolve))
        .as("Artery's TLS does not cover the HTTP endpoint")
        .hasValueSatisfying(line -> assertThat(line).startsWith("the HTTP endpoint binds"));
    assertThat(
            PlaintextGuard.refusal(
                node(exposed + "troupe.http.tls.enabled = on"), PlaintextGuardTest::resolve))
        .as("HTTPS does not cover Artery")
        .hasValueSatisfying(line -> assertThat(line).startsWith("Artery binds"));
  }

  /** A node's full config, as {@code troupe node} sees it, with the given keys. */
  private static Config node(String hocon) {
    return TroupeNode.config(ConfigFactory.parseString(hocon));
  }
}
