package io.troupe.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.internal.Loopback;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whether an endpoint is on loopback is decided by resolving its host name, and read authentication
 * follows from it. Names other than {@code localhost} are resolved through a fake resolver: no test
 * asks DNS.
 */
final class HttpSettingsTest {

  /** Resolves only the names given, address literals as themselves; nothing goes to DNS. */
  private static Loopback.Resolver fake(Map<String, String[]> names) {
    return host -> {
      String[] addresses = names.get(host);
      if (addresses == null) {
        throw new UnknownHostException(host);
      }
      InetAddress[] resolved = new InetAddress[addresses.length];
      for (int i = 0; i < addresses.length; i++) {
        resolved[i] = InetAddress.getByName(addresses[i]); // literals only: no lookup
      }
      return resolved;
    };
  }

  private static Config config(String http) {
    return ConfigFactory.parseString(http).withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void loopback_isDecidedByEveryResolvedAddress_notByHowTheNameLooks() {
    Loopback.Resolver dns =
        fake(
            Map.of(
                "127.attacker.example", new String[] {"203.0.113.7"},
                "db.internal", new String[] {"127.0.0.1", "192.0.2.10"},
                "loopback.internal", new String[] {"127.0.0.2", "::1"}));

    assertThat(Loopback.only("127.attacker.example", dns)).isFalse();
    assertThat(Loopback.only("db.internal", dns)).isFalse();
    assertThat(Loopback.only("loopback.internal", dns)).isTrue();
    assertThat(Loopback.only("unknown.example", dns)).as("does not resolve").isFalse();
  }

  @Test
  void loopback_ofLiteralsAndLocalhost_withTheRealResolver() {
    assertThat(Loopback.only("127.0.0.1", InetAddress::getAllByName)).isTrue();
    assertThat(Loopback.only("127.5.6.7", InetAddress::getAllByName)).isTrue();
    assertThat(Loopback.only("::1", InetAddress::getAllByName)).isTrue();
    assertThat(Loopback.only("localhost", InetAddress::getAllByName)).isTrue();
    assertThat(Loopback.only("0.0.0.0", InetAddress::getAllByName)).isFalse();
    assertThat(Loopback.only("192.0.2.1", InetAddress::getAllByName)).isFalse();
  }

  @Test
  void create_readsTheDefaults_readsNeedTheTokenOnlyBeyondLoopback() {
    HttpSettings loopback =
        HttpSettings.create(config("pekko.management.http.hostname = 127.0.0.1"));
    HttpSettings everywhere =
        HttpSettings.create(config("pekko.management.http.hostname = 0.0.0.0"));

    assertThat(loopback.authenticateReads()).isEqualTo(HttpSettings.ReadAuthentication.AUTO);
    assertThat(loopback.metricsToken()).isEmpty();
    assertThat(loopback.allowedHosts()).isEmpty();
    assertThat(loopback.allowedOrigins()).isEmpty();
    assertThat(loopback.tokenFile().toString()).isEqualTo("data/http-token");
    assertThat(loopback.readsNeedToken()).isFalse();
    assertThat(everywhere.readsNeedToken()).isTrue();
  }

  @Test
  void create_authenticateReads_onAndOffOverrideTheAddress() {
    assertThat(
            HttpSettings.create(
                    config(
                        "pekko.management.http.hostname = 127.0.0.1\n"
                            + "troupe.http.authenticate-reads = on"))
                .readsNeedToken())
        .isTrue();
    assertThat(
            HttpSettings.create(
                    config(
                        "pekko.management.http.hostname = 0.0.0.0\n"
                            + "troupe.http.authenticate-reads = off"))
                .readsNeedToken())
        .isFalse();
    HttpSettings lists =
        HttpSettings.create(
            config(
                "troupe.http.allowed-hosts = [\"lb.example\"]\n"
                    + "troupe.http.allowed-origins = [\"https://lb.example\"]"));
    assertThat(lists.allowedHosts()).containsExactly("lb.example");
    assertThat(lists.allowedOrigins()).containsExactly("https://lb.example");
  }

  @Test
  void create_aBadAuthenticateReads_failsNamingTheChoices() {
    assertThatThrownBy(
            () -> HttpSettings.create(config("troupe.http.authenticate-reads = sometimes")))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("troupe.http.authenticate-reads")
        .hasMessageContaining("auto, on or off");
  }
}
