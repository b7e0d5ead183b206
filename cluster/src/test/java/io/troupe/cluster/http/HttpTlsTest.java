package io.troupe.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.TestNodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe.http.tls}: the key store and passwords Artery's by default, one line naming the
 * setting for a key store that cannot be used, and a node whose endpoint then speaks HTTPS only
 * (TLS 1.3) on 127.0.0.1. Stores come from the shipped {@code config/security/gen-dev-certs}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class HttpTlsTest {

  private static final Path GEN = Path.of("../config/security/gen-dev-certs");
  private static final String PASSWORD = "http-tls-test-password";

  @TempDir static Path dir;

  private Path keyStore;
  private Path trustStore;
  private TroupeNode node;
  private int port;

  @BeforeAll
  void makeStoresAndStartNode() throws Exception {
    Path stores = dir.resolve("stores");
    ProcessBuilder gen =
        new ProcessBuilder("bash", GEN.toString(), stores.toString()).redirectErrorStream(true);
    gen.environment().put("TROUPE_TLS_PASSWORD", PASSWORD);
    Process p = gen.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    keyStore = stores.resolve("node-keystore.p12");
    trustStore = stores.resolve("truststore.p12");

    node =
        TestNodes.startUp(
            "http-tls-test",
            TestNodes.h2Ledger(dir.resolve("ledger"))
                + TestNodes.HTTP_ON_FREE_PORT
                + tls(keyStore, PASSWORD));
    port = TestNodes.serveHttp(node);
  }

  @AfterAll
  void stop() {
    TestNodes.close(node);
  }

  @Test
  void node_withTlsOn_answersHttpsWithACertificateTheTrustStoreTrusts() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(trusting(trustStore))
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    HttpResponse<String> alive =
        client.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/alive")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(alive.statusCode()).isEqualTo(200);
    assertThat(alive.sslSession())
        .hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));
  }

  @Test
  void node_withTlsOn_refusesPlainHttpAndUntrustedClientsCannotVerifyIt() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    assertThatThrownBy(
            () ->
                plain.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/alive"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .as("plain HTTP to the HTTPS port gets no answer")
        .isInstanceOf(IOException.class);
    assertThatThrownBy(
            () ->
                plain.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/alive"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .as("the JDK's trust store does not hold a self-signed development certificate")
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void create_whenOff_servesPlainHttp() {
    HttpTls off = HttpTls.create(TroupeNode.config(ConfigFactory.empty()));

    assertThat(off.enabled()).isFalse();
    assertThat(off.scheme()).isEqualTo("http");
  }

  @Test
  void create_byDefault_usesArterysKeyStoreAndPasswords() {
    HttpTls on =
        HttpTls.create(
            config(
                "troupe.http.tls.enabled = on\n"
                    + "pekko.remote.artery.ssl.config-ssl-engine {\n"
                    + "  key-store = \""
                    + keyStore
                    + "\"\n  key-store-password = \""
                    + PASSWORD
                    + "\"\n  key-password = \""
                    + PASSWORD
                    + "\"\n}"));

    assertThat(on.enabled()).isTrue();
    assertThat(on.scheme()).isEqualTo("https");
  }

  @Test
  void create_withAMissingKeyStore_namesTheSettingItCameFrom() {
    Path missing = dir.resolve("missing.p12");

    assertThatThrownBy(
            () ->
                HttpTls.create(
                    config(
                        "troupe.http.tls.enabled = on\n"
                            + "pekko.remote.artery.ssl.config-ssl-engine.key-store = \""
                            + missing
                            + "\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "no HTTPS key store at "
                + missing
                + " (pekko.remote.artery.ssl.config-ssl-engine.key-store); make one with"
                + " config/security/gen-dev-certs or point"
                + " pekko.remote.artery.ssl.config-ssl-engine.key-store at yours");
    assertThatThrownBy(() -> HttpTls.create(config(tls(missing, PASSWORD))))
        .hasMessageStartingWith(
            "no HTTPS key store at " + missing + " (troupe.http.tls.key-store);");
  }

  @Test
  void create_withAWrongPassword_namesThePasswordSetting() {
    assertThatThrownBy(() -> HttpTls.create(config(tls(keyStore, "not-the-password"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the HTTPS key store "
                + keyStore
                + " (troupe.http.tls.key-store) does not open with the password of"
                + " troupe.http.tls.key-store-password");
    assertThatThrownBy(
            () ->
                HttpTls.create(
                    config(
                        "troupe.http.tls.enabled = on\n"
                            + "pekko.remote.artery.ssl.config-ssl-engine.key-store = \""
                            + keyStore
                            + "\"")))
        .as("Artery's default password is not the store's")
        .hasMessageEndingWith(
            "does not open with the password of"
                + " pekko.remote.artery.ssl.config-ssl-engine.key-store-password"
                + " (TROUPE_TLS_PASSWORD with config/security/tls.conf)");
  }

  @Test
  void create_withATrustStoreAsKeyStore_saysItHoldsNoKey() {
    assertThatThrownBy(() -> HttpTls.create(config(tls(trustStore, PASSWORD))))
        .hasMessage(
            "the HTTPS key store "
                + trustStore
                + " (troupe.http.tls.key-store) holds no private key");
  }

  @Test
  void create_withAProtocolTheJvmLacks_namesTheSetting() {
    assertThatThrownBy(
            () ->
                HttpTls.create(
                    config(tls(keyStore, PASSWORD) + "\ntroupe.http.tls.protocols = [SSLv2]")))
        .hasMessageStartingWith("troupe.http.tls.protocols must list TLS versions");
  }

  private static String tls(Path store, String password) {
    return "troupe.http.tls {\n  enabled = on\n  key-store = \""
        + store
        + "\"\n  key-store-password = \""
        + password
        + "\"\n  key-password = \""
        + password
        + "\"\n}";
  }

  private static Config config(String hocon) {
    return TroupeNode.config(ConfigFactory.parseString(hocon));
  }

  private static SSLContext trusting(Path store) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      trusted.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
