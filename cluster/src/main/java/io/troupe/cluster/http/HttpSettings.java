package io.troupe.cluster.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.troupe.cluster.internal.Loopback;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A node's HTTP endpoint settings, read once from {@code troupe.http} and {@code
 * pekko.management.http} (documented in {@code reference.conf}).
 *
 * @param hostname the interface to bind
 * @param port the port to bind
 * @param token the bearer token of the endpoint: the configured one, or "" until {@link HttpToken}
 *     has decided it
 * @param maxRequestBytes the largest request body accepted
 * @param askTimeout how long a request waits for a coordinator
 * @param tokenFile where the node's token is kept when none is configured
 * @param maxRunningJobs jobs the cluster may run at once before new ones are refused with 429
 * @param metricsToken a second token that admits {@code GET /metrics} only, or "" for none
 * @param authenticateReads whether read-only routes need the token too
 * @param allowedHosts further {@code Host} names (with or without a port) the endpoint answers to
 * @param allowedOrigins further {@code Origin}s whose requests the endpoint takes
 */
record HttpSettings(
    String hostname,
    int port,
    String token,
    long maxRequestBytes,
    Duration askTimeout,
    Path tokenFile,
    int maxRunningJobs,
    String metricsToken,
    ReadAuthentication authenticateReads,
    List<String> allowedHosts,
    List<String> allowedOrigins) {

  /** When read-only routes need the token ({@code troupe.http.authenticate-reads}). */
  enum ReadAuthentication {
    /** When the endpoint binds beyond loopback. */
    AUTO,
    /** Always. */
    ON,
    /** Never: for a trusted network. */
    OFF;

    static ReadAuthentication parse(Config config, String path) {
      String value = config.getString(path).strip().toLowerCase(Locale.ROOT);
      return switch (value) {
        case "auto" -> AUTO;
        case "on", "true", "yes" -> ON;
        case "off", "false", "no" -> OFF;
        default ->
            throw new ConfigException.BadValue(
                config.origin(), path, "must be auto, on or off, was '" + value + "'");
      };
    }
  }

  HttpSettings {
    allowedHosts = List.copyOf(allowedHosts);
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /**
   * Reads the settings.
   *
   * @param config the node's full config
   * @return the settings
   * @throws ConfigException if a setting is missing or has a bad value
   */
  public static HttpSettings create(Config config) {
    return new HttpSettings(
        config.getString("pekko.management.http.hostname"),
        config.getInt("pekko.management.http.port"),
        config.getString("troupe.http.token"),
        config.getBytes("troupe.http.max-request-size"),
        config.getDuration("troupe.http.ask-timeout"),
        Path.of(config.getString("troupe.http.token-file")),
        config.getInt("troupe.http.max-running-jobs"),
        config.getString("troupe.http.metrics-token"),
        ReadAuthentication.parse(config, "troupe.http.authenticate-reads"),
        config.getStringList("troupe.http.allowed-hosts"),
        config.getStringList("troupe.http.allowed-origins"));
  }

  /** Returns these settings with the given token. */
  public HttpSettings withToken(String newToken) {
    return new HttpSettings(
        hostname,
        port,
        newToken,
        maxRequestBytes,
        askTimeout,
        tokenFile,
        maxRunningJobs,
        metricsToken,
        authenticateReads,
        allowedHosts,
        allowedOrigins);
  }

  /** Returns true if the endpoint binds loopback addresses only (its name resolved). */
  public boolean loopback() {
    return Loopback.only(hostname);
  }

  /** Returns true if read-only routes need the token. */
  public boolean readsNeedToken() {
    return switch (authenticateReads) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> !loopback();
    };
  }
}
