package io.troupe.systemtest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * A real nginx serving a directory on 127.0.0.1, started as a child process with its own
 * configuration, pid file and logs in a directory of the test's, and stopped on close. Latency per
 * request comes from nginx's echo module ({@code echo_sleep}, non-blocking), which Debian's {@code
 * nginx-light} package brings. Without nginx the calling test is skipped, unless {@code
 * TROUPE_REQUIRE_NGINX=1} (as CI sets, after installing it), in which case it fails.
 */
final class Nginx implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/sbin/nginx");
  private static final Path ECHO_MODULE = Path.of("/usr/lib/nginx/modules/ngx_http_echo_module.so");

  private final Process process;
  private final int port;
  private final Path work;

  private Nginx(Process process, int port, Path work) {
    this.process = process;
    this.port = port;
    this.work = work;
  }

  /** Skips the calling test without nginx (and its echo module when latency is wanted). */
  private static void requireInstalled(boolean latency) {
    String missing =
        !Files.isExecutable(BINARY)
            ? "nginx is not installed (" + BINARY + "); apt-get install nginx-light"
            : latency && !Files.isRegularFile(ECHO_MODULE)
                ? "nginx's echo module is not installed (" + ECHO_MODULE + ")"
                : null;
    if (missing != null && "1".equals(System.getenv("TROUPE_REQUIRE_NGINX"))) {
      Assertions.fail(missing + " (TROUPE_REQUIRE_NGINX=1, so this is a failure, not a skip)");
    }
    assumeTrue(missing == null, missing);
  }

  /**
   * Serves a directory, answering every request after a delay.
   *
   * @param root the directory to serve
   * @param work where nginx's configuration, pid file and logs go
   * @param latency the delay of every answer; zero for none
   * @return the running server
   */
  static Nginx serve(Path root, Path work, Duration latency) throws Exception {
    requireInstalled(!latency.isZero());
    Files.createDirectories(work);
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    boolean root0 = "root".equals(System.getProperty("user.name"));
    String location =
        latency.isZero()
            ? "location / { try_files $uri $uri/index.html =404; }\n"
            : String.format(
                Locale.ROOT,
                "location / { echo_sleep %.3f; echo_exec @static; }\n"
                    + "    location @static { try_files $uri $uri/index.html =404; }\n",
                latency.toNanos() / 1e9);
    String conf =
        (latency.isZero() ? "" : "load_module " + ECHO_MODULE + ";\n")
            + "worker_processes 1;\n"
            + "daemon off;\n"
            + (root0 ? "user root;\n" : "")
            + "pid "
            + work.resolve("nginx.pid")
            + ";\n"
            + "error_log "
            + work.resolve("error.log")
            + ";\n"
            + "events { worker_connections 1024; }\n"
            + "http {\n"
            + "  types { text/html html; text/plain txt; }\n"
            + "  default_type application/octet-stream;\n"
            + "  access_log off;\n"
            + "  client_body_temp_path "
            + work.resolve("body")
            + ";\n"
            + "  proxy_temp_path "
            + work.resolve("proxy")
            + ";\n"
            + "  fastcgi_temp_path "
            + work.resolve("fastcgi")
            + ";\n"
            + "  uwsgi_temp_path "
            + work.resolve("uwsgi")
            + ";\n"
            + "  scgi_temp_path "
            + work.resolve("scgi")
            + ";\n"
            + "  server {\n"
            + "    listen 127.0.0.1:"
            + port
            + ";\n"
            + "    root "
            + root.toAbsolutePath()
            + ";\n"
            + "    "
            + location
            + "  }\n"
            + "}\n";
    Path confFile = work.resolve("nginx.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(BINARY.toString(), "-p", work.toString(), "-c", confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("nginx.out").toFile())
            .start();
    Nginx nginx = new Nginx(process, port, work);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!nginx.answers()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        nginx.close();
        throw new IOException(
            "nginx did not start: "
                + Files.readString(work.resolve("nginx.out"))
                + readIfExists(work.resolve("error.log")));
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    return nginx;
  }

  private static String readIfExists(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }

  private boolean answers() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns the site's root URL, e.g. {@code http://127.0.0.1:40123/}. */
  String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** Returns the origin, the URL without the trailing slash. */
  String origin() {
    return "http://127.0.0.1:" + port;
  }

  /** Stops nginx (SIGTERM to its master, which stops its worker) and waits for both. */
  @Override
  public void close() {
    java.util.List<ProcessHandle> workers = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      for (ProcessHandle worker : workers) {
        worker.destroyForcibly();
      }
    }
  }
}
