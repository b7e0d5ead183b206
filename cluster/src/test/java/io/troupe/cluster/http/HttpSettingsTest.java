package io.troupe.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's settings: defaults, read authentication (which follows from whether the endpoint
 * is on loopback, see LoopbackTest) and bad values.
 */
final class HttpSettingsTest {

  private static Config config(String http) {
    return ConfigFactory.parseString(http).withFallback(ConfigFactory.load()).resolve();
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
