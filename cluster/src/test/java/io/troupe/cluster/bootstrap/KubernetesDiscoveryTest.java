package io.troupe.cluster.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contact points from the Kubernetes API, against a fake API server on 127.0.0.1 that answers a
 * realistic {@code PodList}: running, pending and terminating pods, pods without an IP, named
 * ports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class KubernetesDiscoveryTest {

  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.the-service-account-token";

  /** Abridged from a real {@code kubectl get pods -o json}: the fields discovery reads and more. */
  static final String POD_LIST =
      """
      {
        "kind": "PodList",
        "apiVersion": "v1",
        "metadata": {"resourceVersion": "48213"},
        "items": [
          {
            "metadata": {
              "name": "troupe-7d9f8c6b5-abcde",
              "namespace": "jobs",
              "labels": {"app.kubernetes.io/name": "troupe", "app.kubernetes.io/version": "1.2.0"},
              "creationTimestamp": "2026-11-02T10:00:00Z"
            },
            "spec": {
              "containers": [
                {"name": "sidecar", "ports": [{"name": "metrics", "containerPort": 9100}]},
                {
                  "name": "troupe",
                  "image": "troupe:1.2.0",
                  "ports": [
                    {"name": "remoting", "containerPort": 2552, "protocol": "TCP"},
                    {"name": "management", "containerPort": 8558, "protocol": "TCP"}
                  ]
                }
              ]
            },
            "status": {"phase": "Running", "podIP": "10.1.2.7", "podIPs": [{"ip": "10.1.2.7"}]}
          },
          {
            "metadata": {"name": "troupe-7d9f8c6b5-fghij", "namespace": "jobs"},
            "spec": {"containers": [{"name": "troupe", "ports": [
              {"name": "management", "containerPort": 8558}]}]},
            "status": {"phase": "Running", "podIP": "10.1.2.5"}
          },
          {
            "metadata": {"name": "troupe-7d9f8c6b5-klmno", "namespace": "jobs"},
            "spec": {"containers": [{"name": "troupe", "ports": [
              {"name": "remoting", "containerPort": 2552}]}]},
            "status": {"phase": "Pending", "podIP": "10.1.2.9"}
          },
          {
            "metadata": {"name": "troupe-7d9f8c6b5-pqrst", "namespace": "jobs"},
            "spec": {"containers": [{"name": "troupe", "ports": [
              {"name": "management", "containerPort": 8558}]}]},
            "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False"}]}
          },
          {
            "metadata": {
              "name": "troupe-6c8e7b5a4-uvwxy",
              "namespace": "jobs",
              "deletionTimestamp": "2026-11-02T10:05:00Z",
              "deletionGracePeriodSeconds": 30
            },
            "spec": {"containers": [{"name": "troupe", "ports": [
              {"name": "management", "containerPort": 8558}]}]},
            "status": {"phase": "Running", "podIP": "10.1.2.3"}
          },
          {
            "metadata": {"name": "troupe-migrate-z1234", "namespace": "jobs"},
            "spec": {"containers": [{"name": "troupe", "ports": [
              {"name": "management", "containerPort": 8558}]}]},
            "status": {"phase": "Succeeded", "podIP": "10.1.2.4"}
          }
        ]
      }
      """;

  @TempDir Path dir;

  private HttpServer server;
  private final AtomicReference<String> lastUri = new AtomicReference<>("");
  private final AtomicReference<String> lastAuthorization = new AtomicReference<>("");
  private final AtomicInteger status = new AtomicInteger(200);

  @BeforeAll
  void startFakeApiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          lastUri.set(exchange.getRequestURI().toString());
          lastAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body =
              (status.get() == 200
                      ? POD_LIST
                      : "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods is"
                          + " forbidden\",\"reason\":\"Forbidden\",\"code\":403}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status.get(), body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterAll
  void stopFakeApiServer() {
    server.stop(0);
  }

  private KubernetesDiscovery discovery(String namespace, Path tokenFile) throws IOException {
    Path namespaceFile = Files.writeString(dir.resolve("namespace"), "jobs\n");
    return new KubernetesDiscovery(
        new BootstrapSettings.Kubernetes(
            "http://127.0.0.1:" + server.getAddress().getPort(),
            namespace,
            "app.kubernetes.io/name=troupe,tier in (a,b)",
            tokenFile,
            dir.resolve("no-ca.crt"),
            "management"),
        8551,
        Duration.ofSeconds(5),
        namespaceFile);
  }

  private Path tokenFile() throws IOException {
    return Files.writeString(dir.resolve("token"), TOKEN + "\n");
  }

  @Test
  void parsePods_takesRunningAndPendingPodsWithAnIp_notTerminatingOnes_atTheNamedPort()
      throws IOException {
    assertThat(KubernetesDiscovery.parsePods(POD_LIST, "management", 8551))
        .containsExactly(
            new ContactPoint("10.1.2.5", 8558),
            new ContactPoint("10.1.2.7", 8558),
            new ContactPoint("10.1.2.9", 8551));
    assertThat(KubernetesDiscovery.parsePods("{\"kind\":\"PodList\",\"items\":[]}", "m", 1))
        .isEmpty();
  }

  @Test
  void discover_asksForThePodsOfTheSelectorInThePodsNamespace_withTheToken() throws Exception {
    status.set(200);
    List<ContactPoint> found =
        discovery("", tokenFile()).discover().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(found)
        .containsExactly(
            new ContactPoint("10.1.2.5", 8558),
            new ContactPoint("10.1.2.7", 8558),
            new ContactPoint("10.1.2.9", 8551));
    assertThat(lastUri.get())
        .isEqualTo(
            "/api/v1/namespaces/jobs/pods?labelSelector="
                + "app.kubernetes.io%2Fname%3Dtroupe%2Ctier+in+%28a%2Cb%29");
    assertThat(lastAuthorization.get()).isEqualTo("Bearer " + TOKEN);
    discovery("other", tokenFile()).discover().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(lastUri.get()).startsWith("/api/v1/namespaces/other/pods?");
  }

  @Test
  void discover_whenTheApiAnswers403_failsWithOneLineNamingRbac_withoutTheToken() throws Exception {
    status.set(403);
    try {
      assertThatThrownBy(
              () ->
                  discovery("", tokenFile())
                      .discover()
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(DiscoveryException.class)
          .hasMessageContaining("refused to list pods in namespace jobs (403 Forbidden)")
          .hasMessageContaining("service account needs a Role allowing get and list on pods")
          .hasMessageNotContaining(TOKEN)
          .hasMessageNotContaining("\n");
      status.set(401);
      assertThatThrownBy(
              () ->
                  discovery("", tokenFile())
                      .discover()
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS))
          .cause()
          .hasMessageContaining("401 Unauthorized: check")
          .hasMessageContaining("token-file");
    } finally {
      status.set(200);
    }
  }

  @Test
  void discover_withoutTokenFile_failsNamingTheKey() throws Exception {
    assertThatThrownBy(
            () ->
                discovery("", dir.resolve("missing-token"))
                    .discover()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(DiscoveryException.class)
        .hasMessageContaining("cannot read the service account token")
        .hasMessageContaining("kubernetes-api.token-file");
  }
}
