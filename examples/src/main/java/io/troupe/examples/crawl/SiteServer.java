package io.troupe.examples.crawl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small static file server on 127.0.0.1 for a generated site, with an optional fixed latency per
 * request: what the crawl tests and benchmark use to stand in for a slow remote server. It serves
 * {@code index.html} for a directory, {@code text/html} for {@code .html} and {@code text/plain}
 * otherwise, 404 for anything missing, and never leaves the root directory. Each request holds one
 * of its threads while it waits, so it answers up to {@code threads} requests at once.
 */
public final class SiteServer implements AutoCloseable {

  static {
    // The JDK's server writes headers and body separately; without TCP_NODELAY a kept-alive
    // connection waits for the client's delayed ACK (about 40 ms) on every response after the
    // first. Read once, when the JDK's server classes load, so set here before any server exists.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path root;
  private final long latencyNanos;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();

  private SiteServer(Path root, Duration latency, int threads) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.latencyNanos = latency.toNanos();
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    this.executor = Executors.newFixedThreadPool(threads);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts serving a directory on a free port of 127.0.0.1.
   *
   * @param root the site's directory
   * @param latency how long every request waits before it is answered
   * @param threads most requests answered at once
   * @return the running server; close it to stop
   * @throws IOException if it cannot listen
   */
  public static SiteServer start(Path root, Duration latency, int threads) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("not a directory: " + root);
    }
    return new SiteServer(root, latency, threads);
  }

  /** Returns the URL of the site's root, e.g. {@code http://127.0.0.1:40123/}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** Returns how many requests it has answered. */
  public int requests() {
    return requests.get();
  }

  /** Returns the most requests it was answering at the same time. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try (exchange) {
      if (latencyNanos > 0) {
        TimeUnit.NANOSECONDS.sleep(latencyNanos);
      }
      String path = exchange.getRequestURI().getPath();
      Path file = root.resolve(path.substring(1)).normalize();
      if (file.startsWith(root) && Files.isDirectory(file)) {
        file = file.resolve("index.html");
      }
      if (!exchange.getRequestMethod().equals("GET")
          || !file.startsWith(root)
          || !Files.isRegularFile(file)) {
        byte[] body = "not found\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      byte[] body = Files.readAllBytes(file);
      exchange
          .getResponseHeaders()
          .set(
              "Content-Type",
              file.getFileName().toString().endsWith(".html")
                  ? "text/html; charset=utf-8"
                  : "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      requests.incrementAndGet();
      inFlight.decrementAndGet();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
