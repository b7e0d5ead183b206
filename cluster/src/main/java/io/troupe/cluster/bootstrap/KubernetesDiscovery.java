package io.troupe.cluster.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Contact points from the Kubernetes API: the pods the label selector picks in the namespace
 * ({@code GET /api/v1/namespaces/NS/pods?labelSelector=...}, with the service account's bearer
 * token, over HTTPS trusting the service account's CA).
 *
 * <p>A pod counts when it has an IP, is not being deleted ({@code metadata.deletionTimestamp}) and
 * is Running or Pending; its contact point is its IP and the container port named {@code
 * port-name}, else this node's own HTTP port. The token is read for every request, as Kubernetes
 * rotates it; it is never logged. The HTTP client, with the CA, is made at the first request and
 * kept once it works.
 */
final class KubernetesDiscovery implements Discovery {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEYS = "troupe.cluster.bootstrap.discovery.kubernetes-api.";
  private static final Path NAMESPACE_FILE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private final BootstrapSettings.Kubernetes settings;
  private final int fallbackPort;
  private final Duration timeout;
  private final Path namespaceFile;
  private HttpClient client;

  KubernetesDiscovery(BootstrapSettings.Kubernetes settings, int fallbackPort, Duration timeout) {
    this(settings, fallbackPort, timeout, NAMESPACE_FILE);
  }

  KubernetesDiscovery(
      BootstrapSettings.Kubernetes settings,
      int fallbackPort,
      Duration timeout,
      Path namespaceFile) {
    this.settings = settings;
    this.fallbackPort = fallbackPort;
    this.timeout = timeout;
    this.namespaceFile = namespaceFile;
  }

  @Override
  public CompletionStage<List<ContactPoint>> discover() {
    HttpRequest request;
    String namespace;
    try {
      namespace = namespace();
      request =
          HttpRequest.newBuilder(podsUri(namespace))
              .timeout(timeout)
              .header("Accept", "application/json")
              .header("Authorization", "Bearer " + token())
              .GET()
              .build();
      if (client == null) {
        client = client();
      }
    } catch (DiscoveryException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw new DiscoveryException(
                    "cannot reach the Kubernetes API at "
                        + settings.apiUrl()
                        + " ("
                        + KEYS
                        + "api-url): "
                        + oneLine(failure));
              }
              return answer(response, namespace);
            });
  }

  private List<ContactPoint> answer(HttpResponse<String> response, String namespace) {
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new DiscoveryException(
          "the Kubernetes API refused to list pods in namespace "
              + namespace
              + " ("
              + status
              + (status == 401 ? " Unauthorized: check " + KEYS + "token-file" : " Forbidden")
              + "): the pod's service account needs a Role allowing get and list on pods,"
              + " bound to it by a RoleBinding");
    }
    if (status != 200) {
      throw new DiscoveryException(
          "the Kubernetes API answered " + status + " to listing pods in namespace " + namespace);
    }
    try {
      return parsePods(response.body(), settings.portName(), fallbackPort);
    } catch (IOException | RuntimeException e) {
      throw new DiscoveryException("cannot read the Kubernetes API's pod list: " + oneLine(e));
    }
  }

  /**
   * Returns the contact points of a {@code PodList}, sorted: pods with an IP, not being deleted,
   * Running or Pending, at their container port named {@code portName} or else {@code
   * fallbackPort}.
   *
   * @throws IOException if the JSON is malformed
   */
  static List<ContactPoint> parsePods(String json, String portName, int fallbackPort)
      throws IOException {
    JsonNode items = JSON.readTree(json).path("items");
    List<ContactPoint> points = new ArrayList<>();
    for (JsonNode pod : items) {
      String ip = pod.path("status").path("podIP").asText("");
      String phase = pod.path("status").path("phase").asText("");
      boolean deleting =
          !pod.path("metadata").path("deletionTimestamp").isMissingNode()
              && !pod.path("metadata").path("deletionTimestamp").isNull();
      if (ip.isEmpty() || deleting || !(phase.equals("Running") || phase.equals("Pending"))) {
        continue;
      }
      int port = fallbackPort;
      for (JsonNode container : pod.path("spec").path("containers")) {
        for (JsonNode p : container.path("ports")) {
          if (portName.equals(p.path("name").asText())
              && p.path("containerPort").canConvertToInt()) {
            port = p.path("containerPort").asInt();
          }
        }
      }
      points.add(new ContactPoint(ip, port));
    }
    points.sort(null);
    return List.copyOf(points);
  }

  private URI podsUri(String namespace) {
    return URI.create(
        settings.apiUrl()
            + "/api/v1/namespaces/"
            + URLEncoder.encode(namespace, StandardCharsets.UTF_8)
            + "/pods?labelSelector="
            + URLEncoder.encode(settings.labelSelector(), StandardCharsets.UTF_8));
  }

  private String namespace() {
    if (!settings.namespace().isEmpty()) {
      return settings.namespace();
    }
    try {
      String ns = Files.readString(namespaceFile, StandardCharsets.UTF_8).strip();
      if (ns.isEmpty()) {
        throw new DiscoveryException(namespaceFile + " is empty; set " + KEYS + "namespace");
      }
      return ns;
    } catch (IOException e) {
      throw new DiscoveryException(
          "cannot read the pod's namespace from " + namespaceFile + "; set " + KEYS + "namespace");
    }
  }

  private String token() {
    try {
      String token = Files.readString(settings.tokenFile(), StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new DiscoveryException(
            "the service account token "
                + settings.tokenFile()
                + " is empty ("
                + KEYS
                + "token-file)");
      }
      if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        // Never in a header (where the JDK's refusal would quote it), never in a message.
        throw new DiscoveryException(
            "the service account token "
                + settings.tokenFile()
                + " holds characters a bearer token cannot ("
                + KEYS
                + "token-file)");
      }
      return token;
    } catch (IOException e) {
      throw new DiscoveryException(
          "cannot read the service account token "
              + settings.tokenFile()
              + " ("
              + KEYS
              + "token-file)");
    }
  }

  private HttpClient client() {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
    if (settings.apiUrl().startsWith("https://")) {
      builder.sslContext(trustingCa(settings.caFile()));
    }
    return builder.build();
  }

  /** An SSL context that trusts the PEM certificates in {@code caFile} and nothing else. */
  private static SSLContext trustingCa(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new DiscoveryException(caFile + " holds no certificate (" + KEYS + "ca-file)");
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new DiscoveryException(
          "cannot read the Kubernetes API's CA certificate "
              + caFile
              + " ("
              + KEYS
              + "ca-file): "
              + oneLine(e));
    }
  }

  /** A failure as one line: its type and message, never a stack trace. */
  static String oneLine(Throwable t) {
    Throwable cause =
        t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause()
            : t;
    String message = cause.getMessage();
    return (cause.getClass().getSimpleName() + (message == null ? "" : ": " + message))
        .replaceAll("\\s+", " ")
        .strip();
  }
}
