package io.troupe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image really runs: two containers of it, each unpacked with umoci into a runtime bundle of
 * the test's own and started as its runtime configuration says (entrypoint, arguments, environment,
 * working directory, user 10001), each in a network namespace of the test's own, form one cluster.
 *
 * <p>A container is started without an OCI runtime, because crun (podman's) refuses this machine's
 * hybrid cgroup hierarchy: {@code ip netns exec} into the host's namespace, {@code unshare} a mount
 * and PID namespace (the node is PID 1, as in a container), mount {@code /proc} and {@code /dev}
 * into the unpacked root file system, and {@code chroot} into it as the image's user. The first
 * node is given its config file as arguments, the second through {@code TROUPE_CONFIG} with the
 * entrypoint's default command; both include the image's {@code config/container/node.conf} and
 * take their address from {@code TROUPE_HOSTNAME}. Static seeds, the in-memory journal, plain text
 * allowed ({@code TROUPE_ALLOW_PLAINTEXT}: TLS is tested by NodeExposureIT in src-test).
 */
final class ImageRunIT {

  private static final String TOKEN = "image-run-test-token-0123456789";
  private static final Duration LIMIT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private TestHosts hosts;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void cleanUp() throws InterruptedException {
    try {
      // SIGTERM to the node (PID 1 of its container) first: a graceful stop; then whatever is left.
      long stopStart = System.nanoTime();
      for (Process p : started) {
        p.descendants().forEach(ProcessHandle::destroy);
      }
      for (Process p : started) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          System.out.println("ImageRunIT: a container did not stop within 30 s of SIGTERM");
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      }
      System.out.printf(
          "ImageRunIT: the containers stopped %d ms after SIGTERM%n",
          (System.nanoTime() - stopStart) / 1_000_000);
    } finally {
      if (hosts != null) {
        hosts.close();
      }
    }
  }

  @Test
  void twoContainersOfTheImage_eachInANamespace_formOneCluster() throws Exception {
    TestHosts.assumeAvailable();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/umoci")), "umoci is not installed");
    Path layout = OciImage.imageDir().resolve("oci");
    String tag = OciImage.version();

    long unpackStart = System.nanoTime();
    Path bundleA = unpack(layout, tag, "a");
    Path bundleB = unpack(layout, tag, "b");
    long unpackMs = (System.nanoTime() - unpackStart) / 2_000_000;

    hosts = TestHosts.create(2);
    String a = hosts.address(0);
    String b = hosts.address(1);
    String seed = "pekko://troupe@" + a + ":2551";

    long startA = System.nanoTime();
    Process nodeA =
        start(
            0,
            bundleA,
            List.of("node", "--config", "/mnt/node.conf"),
            Map.of("TROUPE_HOSTNAME", a),
            seed);
    awaitReady(nodeA, bundleA, a);
    long readyA = (System.nanoTime() - startA) / 1_000_000;

    long startB = System.nanoTime();
    Process nodeB =
        start(
            1,
            bundleB,
            List.of(),
            Map.of("TROUPE_HOSTNAME", b, "TROUPE_CONFIG", "/mnt/node.conf"),
            seed);
    awaitReady(nodeB, bundleB, b);
    long readyB = (System.nanoTime() - startB) / 1_000_000;

    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (String address : List.of(a, b)) {
      Awaitility.await()
          .atMost(LIMIT)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                JsonNode members = members(client, address);
                List<String> up = new ArrayList<>();
                members
                    .path("members")
                    .forEach(
                        m -> up.add(m.path("node").asText() + " " + m.path("status").asText()));
                assertThat(up)
                    .as("members as %s sees them", address)
                    .containsExactlyInAnyOrder(seed + " Up", "pekko://troupe@" + b + ":2551 Up");
              });
    }
    long clusterMs = (System.nanoTime() - startB) / 1_000_000;

    // Inside, the node runs as the image's user, not root.
    String status =
        Files.readString(Path.of("/proc", Long.toString(javaOf(nodeA).pid()), "status"));
    assertThat(status).containsPattern("(?m)^Uid:\\s+10001\\s");

    String times =
        String.format(
            "umoci unpack %d ms per container; node A /ready %d ms after start; node B /ready %d ms"
                + " after start; both Up in both views %d ms after B's start%n",
            unpackMs, readyA, readyB, clusterMs);
    System.out.print("ImageRunIT: " + times);
    Files.writeString(OciImage.imageDir().resolve("image-run-times.txt"), times);
  }

  /** Unpacks the image into a runtime bundle (config.json and rootfs/) of this test's own. */
  private Path unpack(Path layout, String tag, String name)
      throws IOException, InterruptedException {
    Path bundle = dir.resolve("bundle-" + name);
    TestHosts.run(List.of("umoci", "unpack", "--image", layout + ":" + tag, bundle.toString()));
    return bundle;
  }

  /**
   * Starts the container of a bundle in host i's namespace, as the bundle's runtime configuration
   * says, with {@code args} after the entrypoint, more environment, and a config directory mounted
   * at /mnt.
   */
  private Process start(
      int host, Path bundle, List<String> args, Map<String, String> env, String seed)
      throws IOException {
    Path conf = Files.createDirectories(bundle.resolveSibling(bundle.getFileName() + "-conf"));
    Files.writeString(
        conf.resolve("node.conf"),
        "include file(\"/opt/troupe/config/container/node.conf\")\n"
            + "troupe.persistence.journal = \"memory\"\n"
            + "pekko.cluster.seed-nodes = [\""
            + seed
            + "\"]\n"
            + "pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = 60s\n");
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        conf.resolve("node.conf"), PosixFilePermissions.fromString("rw-r--r--"));

    JsonNode process = JSON.readTree(bundle.resolve("config.json").toFile()).path("process");
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "unshare",
            "--mount",
            "--pid",
            "--fork",
            "--kill-child",
            "--",
            "/bin/sh",
            "-c",
            "set -e; R=$1; C=$2; U=$3; shift 3; mount -t proc proc \"$R/proc\";"
                + " mount --rbind /dev \"$R/dev\"; mount --bind \"$C\" \"$R/mnt\";"
                + " exec chroot --userspec=\"$U\" \"$R\" \"$@\"",
            "container",
            bundle.resolve("rootfs").toString(),
            conf.toString(),
            process.path("user").path("uid").asText()
                + ":"
                + process.path("user").path("gid").asText(),
            "/usr/bin/env",
            "-i",
            "--chdir=" + process.path("cwd").asText()));
    process.path("env").forEach(e -> command.add(e.asText()));
    env.forEach((k, v) -> command.add(k + "=" + v));
    command.add("TROUPE_ALLOW_PLAINTEXT=on");
    command.add("TROUPE_HTTP_TOKEN=" + TOKEN);
    process.path("args").forEach(a -> command.add(a.asText()));
    command.addAll(args);

    ProcessBuilder builder =
        new ProcessBuilder(hosts.inside(host, command))
            .redirectOutput(bundle.resolveSibling(bundle.getFileName() + ".out").toFile())
            .redirectError(bundle.resolveSibling(bundle.getFileName() + ".err").toFile());
    Process p = builder.start();
    started.add(p);
    return p;
  }

  private static void awaitReady(Process node, Path bundle, String address) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Awaitility.await()
        .atMost(LIMIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!node.isAlive()) {
                throw new AssertionError(
                    "the container exited with " + node.exitValue() + ":\n" + output(bundle));
              }
              try {
                return client
                        .send(
                            HttpRequest.newBuilder(URI.create("http://" + address + ":8551/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200;
              } catch (IOException e) {
                return false;
              }
            });
  }

  private static JsonNode members(HttpClient client, String address) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://" + address + ":8551/cluster/members"))
                .header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static ProcessHandle javaOf(Process container) {
    return container
        .descendants()
        .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no java process in the container"));
  }

  private static String output(Path bundle) throws IOException {
    return Files.readString(
            bundle.resolveSibling(bundle.getFileName() + ".err"), StandardCharsets.UTF_8)
        + "\n--- stdout\n"
        + Files.readString(
            bundle.resolveSibling(bundle.getFileName() + ".out"), StandardCharsets.UTF_8);
  }
}
