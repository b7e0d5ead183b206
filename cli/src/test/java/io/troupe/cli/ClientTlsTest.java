package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's side of HTTPS: it trusts the node through {@code TROUPE_TLS_TRUSTSTORE}, keeps hostname
 * verification on, and says in one line what failed. Servers are the JDK's own HTTP(S) server on
 * 127.0.0.1 with keys keytool made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ClientTlsTest {

  private static final String PASSWORD = "client-tls-test";

  @TempDir static Path dir;

  private final List<HttpServer> servers = new ArrayList<>();
  private Path trustStore;
  private Path otherNameTrustStore;
  private URI node;
  private URI otherNameNode;
  private URI plainNode;
  private ServerSocket plain;

  @BeforeAll
  void startServers() throws Exception {
    Path keyStore = dir.resolve("node.p12");
    trustStore = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "node",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=test-node",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass:env",
        "PW",
        "-keypass:env",
        "PW");
    trust(keyStore, trustStore);
    // A certificate for another host: trusted, but it does not name 127.0.0.1.
    Path otherKeyStore = dir.resolve("other.p12");
    otherNameTrustStore = dir.resolve("other-trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "node",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=other-node",
        "-ext",
        "SAN=dns:other-node.invalid",
        "-storetype",
        "PKCS12",
        "-keystore",
        otherKeyStore.toString(),
        "-storepass:env",
        "PW",
        "-keypass:env",
        "PW");
    trust(otherKeyStore, otherNameTrustStore);

    node = https(keyStore);
    otherNameNode = https(otherKeyStore);
    plainNode = URI.create("https://127.0.0.1:" + plainHttp().getLocalPort());
  }

  @AfterAll
  void stopServers() throws Exception {
    servers.forEach(s -> s.stop(0));
    if (plain != null) {
      plain.close();
    }
  }

  /**
   * A plain HTTP server as a node without TLS is: it takes a TLS hello for a bad request, answers
   * 400 in clear text and closes the connection.
   */
  private ServerSocket plainHttp() throws Exception {
    plain = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!plain.isClosed()) {
                try (Socket connection = plain.accept()) {
                  connection.getInputStream().read(new byte[4096]);
                  connection
                      .getOutputStream()
                      .write(
                          "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                  // closed by stopServers, or the client went away
                }
              }
            },
            "plain-http");
    acceptor.setDaemon(true);
    acceptor.start();
    return plain;
  }

  @Test
  void builder_withTheNodesTrustStore_verifiesTheNode() throws Exception {
    HttpClient client =
        ClientTls.builder(
                node,
                Map.of(ClientTls.TRUSTSTORE, trustStore.toString(), ClientTls.PASSWORD, PASSWORD))
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    HttpResponse<String> answer =
        client.send(HttpRequest.newBuilder(node).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{}");
  }

  @Test
  void builder_withATrustedCertificateForAnotherHost_failsHostnameVerification() {
    HttpClient client =
        ClientTls.builder(
                otherNameNode,
                Map.of(
                    ClientTls.TRUSTSTORE,
                    otherNameTrustStore.toString(),
                    ClientTls.PASSWORD,
                    PASSWORD))
            .build();

    assertThatThrownBy(
            () ->
                client.send(
                    HttpRequest.newBuilder(otherNameNode).build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOfSatisfying(
            SSLException.class,
            e ->
                assertThat(ClientTls.failure(otherNameNode, e))
                    .hasMessageStartingWith(
                        "cannot verify the node's certificate at "
                            + otherNameNode
                            + ": No subject alternative names matching IP address 127.0.0.1"
                            + " found; set TROUPE_TLS_TRUSTSTORE"));
  }

  @Test
  void nodeClient_withTheJdksTrustStore_cannotVerifyADevelopmentCertificate_inOneLine() {
    assumeThat(System.getenv(ClientTls.TRUSTSTORE))
        .as("no trust store in this environment")
        .isNull();

    assertThatThrownBy(() -> new NodeClient(node.toString(), null).get("/api/jobs"))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "cannot verify the node's certificate at "
                + node
                + ": unable to find valid certification path to requested target; set"
                + " TROUPE_TLS_TRUSTSTORE (and TROUPE_TLS_PASSWORD) to a trust store that holds it"
                + " or its CA, and use a host name or address the certificate names");
  }

  @Test
  void nodeClient_httpsToAPlainHttpPort_saysTheNodeDoesNotSpeakTls() {
    assumeThat(System.getenv(ClientTls.TRUSTSTORE))
        .as("no trust store in this environment")
        .isNull();

    assertThatThrownBy(() -> new NodeClient(plainNode.toString(), null).get("/api/jobs"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("no TLS connection to " + plainNode + ": ")
        .hasMessageEndingWith("; does the node serve HTTPS there?")
        .hasMessageNotContaining("\n");
  }

  @Test
  void builder_withABadTrustStore_failsInOneLine() throws Exception {
    Path missing = dir.resolve("missing.p12");
    Path notAStore = Files.writeString(dir.resolve("not-a-store.p12"), "hello");

    assertThatThrownBy(
            () -> ClientTls.builder(node, Map.of(ClientTls.TRUSTSTORE, missing.toString())))
        .isInstanceOf(UsageException.class)
        .hasMessage("TROUPE_TLS_TRUSTSTORE: no such file: " + missing);
    assertThatThrownBy(
            () ->
                ClientTls.builder(
                    node,
                    Map.of(
                        ClientTls.TRUSTSTORE,
                        trustStore.toString(),
                        ClientTls.PASSWORD,
                        "wrong-password")))
        .hasMessage(
            "TROUPE_TLS_TRUSTSTORE: cannot open "
                + trustStore
                + " as a PKCS12 trust store with"
                + " TROUPE_TLS_PASSWORD");
    assertThatThrownBy(
            () -> ClientTls.builder(node, Map.of(ClientTls.TRUSTSTORE, notAStore.toString())))
        .hasMessageStartingWith(
            "TROUPE_TLS_TRUSTSTORE: cannot open " + notAStore + " as a PKCS12 trust store: ");
  }

  @Test
  void builder_forPlainHttp_ignoresTheTrustStore() {
    URI http = URI.create("http://127.0.0.1:8551");

    assertThatCode(
            () -> ClientTls.builder(http, Map.of(ClientTls.TRUSTSTORE, "/no/such/store.p12")))
        .as("the trust store is read for https only")
        .doesNotThrowAnyException();
  }

  private URI https(Path keyStore) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    answerOk(server);
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  private void answerOk(HttpServer server) {
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    servers.add(server);
  }

  private static void trust(Path keyStore, Path trustStore) throws Exception {
    Path cert = dir.resolve(keyStore.getFileName() + ".crt");
    keytool(
        "-exportcert",
        "-alias",
        "node",
        "-rfc",
        "-keystore",
        keyStore.toString(),
        "-storepass:env",
        "PW",
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "node",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        trustStore.toString(),
        "-storepass:env",
        "PW");
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PW", PASSWORD);
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }
}
