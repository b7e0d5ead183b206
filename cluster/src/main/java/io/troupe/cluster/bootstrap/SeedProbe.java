package io.troupe.cluster.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;

/**
 * Asks a contact point {@code GET /bootstrap/seed-nodes}: over HTTPS when this node's endpoint
 * speaks it ({@code troupe.http.tls.enabled}; every node of a cluster does, or none), trusting the
 * trust store Artery uses and checking host names only when Artery does ({@code
 * hostname-verification}), since contact points are often reached by IP address.
 */
final class SeedProbe {

  /** The route's path. */
  static final String PATH = "/bootstrap/seed-nodes";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARTERY = "pekko.remote.artery.ssl.config-ssl-engine.";

  private final HttpClient client;
  private final String scheme;
  private final Duration timeout;
  private final String systemName;

  private SeedProbe(HttpClient client, String scheme, Duration timeout, String systemName) {
    this.client = client;
    this.scheme = scheme;
    this.timeout = timeout;
    this.systemName = systemName;
  }

  /**
   * Returns the probe of a node.
   *
   * @param config the node's full config
   * @param timeout the time each probe may take, connecting included
   * @param systemName this node's actor system name: answers from another system are refused
   * @throws IllegalArgumentException with one line if HTTPS is on and the trust store cannot be
   *     opened
   */
  static SeedProbe create(Config config, Duration timeout, String systemName) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
    boolean https = config.getBoolean("troupe.http.tls.enabled");
    if (https) {
      builder.sslContext(
          trusting(
              Path.of(config.getString(ARTERY + "trust-store")),
              config.getString(ARTERY + "trust-store-password"),
              config.getBoolean(ARTERY + "hostname-verification")));
    }
    return new SeedProbe(builder.build(), https ? "https" : "http", timeout, systemName);
  }

  /** Returns the answer of {@code point}, or fails with a one-line reason. */
  CompletableFuture<Formation.Answer> probe(ContactPoint point) {
    HttpRequest request =
        HttpRequest.newBuilder(point.uri(scheme, PATH))
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET()
            .build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(
                    point + PATH + " answered " + response.statusCode());
              }
              return parse(response.body(), systemName);
            });
  }

  /**
   * Reads an answer: {@code {"self": "pekko://SYSTEM@host:port", "seedNodes": [...]}}.
   *
   * @throws IllegalArgumentException if it is malformed or from another actor system
   */
  static Formation.Answer parse(String body, String systemName) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the answer is not JSON", e);
    }
    Address self = address(json.path("self").asText(""), systemName);
    List<Address> seeds = new ArrayList<>();
    for (JsonNode seed : json.path("seedNodes")) {
      seeds.add(address(seed.asText(""), systemName));
    }
    return new Formation.Answer(self, seeds);
  }

  private static Address address(String text, String systemName) {
    Address address;
    try {
      address = AddressFromURIString.parse(text);
    } catch (Exception e) { // Scala throws MalformedURLException, checked, undeclared
      throw new IllegalArgumentException("'" + text + "' is not a cluster address", e);
    }
    if (!address.system().equals(systemName) || address.getHost().isEmpty()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a node of actor system '" + systemName + "'");
    }
    return address;
  }

  private static SSLContext trusting(Path store, String password, boolean verifyHostNames) {
    Path where = store.toAbsolutePath();
    try (InputStream in = Files.newInputStream(where)) {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(in, password.isEmpty() ? null : password.toCharArray());
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      TrustManager[] managers = factory.getTrustManagers();
      if (!verifyHostNames) {
        managers = new TrustManager[] {new ChainOnly((X509ExtendedTrustManager) managers[0])};
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, managers, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Cluster Bootstrap cannot open the trust store "
              + where
              + " ("
              + ARTERY
              + "trust-store) to probe contact points over HTTPS: "
              + KubernetesDiscovery.oneLine(e));
    }
  }

  /**
   * Checks a server's certificate chain against the trust store but not against the host name, as
   * Artery does with {@code hostname-verification = off}: safe only while the trust store trusts
   * the cluster's own certificates alone (config/security/tls.conf explains).
   */
  private static final class ChainOnly extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;

    ChainOnly(X509ExtendedTrustManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(
        java.security.cert.X509Certificate[] chain, String authType, java.net.Socket socket)
        throws java.security.cert.CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(
        java.security.cert.X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
        throws java.security.cert.CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(
        java.security.cert.X509Certificate[] chain, String authType, java.net.Socket socket)
        throws java.security.cert.CertificateException {
      delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(
        java.security.cert.X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
        throws java.security.cert.CertificateException {
      delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }
}
