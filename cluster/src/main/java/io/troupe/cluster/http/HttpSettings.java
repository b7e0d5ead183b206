package io.troupe.cluster.http;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * A node's HTTP endpoint settings, read once from {@code troupe.http} and {@code
 * pekko.management.http} (documented in {@code reference.conf}).
 *
 * @param hostname the interface to bind
 * @param port the port to bind
 * @param token the bearer token mutating routes require, or "" for none
 * @param maxRequestBytes the largest request body accepted
 * @param askTimeout how long a request waits for a coordinator
 * @param tokenFile where a token generated for a non-loopback endpoint is kept
 * @param maxRunningJobs jobs the cluster may run at once before new ones are refused with 429
 */
record HttpSettings(
    String hostname,
    int port,
    String token,
    long maxRequestBytes,
    Duration askTimeout,
    java.nio.file.Path tokenFile,
    int maxRunningJobs) {

  /**
   * Reads the settings.
   *
   * @param config the node's full config
   * @return the settings
   */
  public static HttpSettings create(Config config) {
    return new HttpSettings(
        config.getString("pekko.management.http.hostname"),
        config.getInt("pekko.management.http.port"),
        config.getString("troupe.http.token"),
        config.getBytes("troupe.http.max-request-size"),
        config.getDuration("troupe.http.ask-timeout"),
        java.nio.file.Path.of(config.getString("troupe.http.token-file")),
        config.getInt("troupe.http.max-running-jobs"));
  }

  /** Returns these settings with the given token. */
  public HttpSettings withToken(String newToken) {
    return new HttpSettings(
        hostname, port, newToken, maxRequestBytes, askTimeout, tokenFile, maxRunningJobs);
  }

  /** Returns true if the endpoint binds a loopback address only. */
  public boolean loopback() {
    return hostname.equals("localhost") || hostname.equals("::1") || hostname.startsWith("127.");
  }
}
