package io.troupe.cluster.bootstrap;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cluster Bootstrap's settings, read once from {@code troupe.cluster.bootstrap} (documented in the
 * cluster module's {@code reference.conf}) and checked: every problem is one line naming the key.
 */
public final class BootstrapSettings {

  static final String PREFIX = "troupe.cluster.bootstrap.";
  private static final String SEEDS = "pekko.cluster.seed-nodes";

  /** Where contact points come from ({@code discovery.method}). */
  enum Method {
    /** The configured list. */
    CONFIG,
    /** The pods the Kubernetes API lists. */
    KUBERNETES_API
  }

  /**
   * The Kubernetes API discovery's settings ({@code discovery.kubernetes-api}).
   *
   * @param apiUrl the API server's base URL
   * @param namespace the pods' namespace; "" to read it from the service account's file
   * @param labelSelector the pods' label selector
   * @param tokenFile the service account token, read for every request (it is rotated)
   * @param caFile the PEM CA certificate(s) the API server's certificate must chain to
   * @param portName the name of the container port that is the contact point's port
   */
  record Kubernetes(
      String apiUrl,
      String namespace,
      String labelSelector,
      Path tokenFile,
      Path caFile,
      String portName) {}

  private final boolean enabled;
  private final Method method;
  private final List<ContactPoint> contactPoints;
  private final Kubernetes kubernetes;
  private final int ownHttpPort;
  private final int requiredContactPoints;
  private final Duration stableMargin;
  private final Duration probeInterval;
  private final Duration requestTimeout;
  private final Duration formationTimeout;

  private BootstrapSettings(Config config) {
    enabled = config.getBoolean(PREFIX + "enabled");
    ownHttpPort = config.getInt("pekko.management.http.port");
    String m = config.getString(PREFIX + "discovery.method").strip().toLowerCase(Locale.ROOT);
    method =
        switch (m) {
          case "config" -> Method.CONFIG;
          case "kubernetes-api" -> Method.KUBERNETES_API;
          default ->
              throw new IllegalArgumentException(
                  PREFIX + "discovery.method must be config or kubernetes-api, was '" + m + "'");
        };
    List<ContactPoint> points = new ArrayList<>();
    for (String text : config.getStringList(PREFIX + "discovery.config.contact-points")) {
      try {
        points.add(ContactPoint.parse(text, ownHttpPort));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            PREFIX + "discovery.config.contact-points: " + e.getMessage(), e);
      }
    }
    contactPoints = List.copyOf(points);
    String k8s = PREFIX + "discovery.kubernetes-api.";
    kubernetes =
        new Kubernetes(
            stripSlash(config.getString(k8s + "api-url").strip()),
            config.getString(k8s + "namespace").strip(),
            config.getString(k8s + "label-selector").strip(),
            Path.of(config.getString(k8s + "token-file")),
            Path.of(config.getString(k8s + "ca-file")),
            config.getString(k8s + "port-name").strip());
    requiredContactPoints = config.getInt(PREFIX + "required-contact-points");
    stableMargin = config.getDuration(PREFIX + "stable-margin");
    probeInterval = config.getDuration(PREFIX + "probe-interval");
    requestTimeout = config.getDuration(PREFIX + "request-timeout");
    formationTimeout = config.getDuration(PREFIX + "formation-timeout");
  }

  /**
   * Reads and checks the settings.
   *
   * @param config the node's full config
   * @return the settings
   * @throws IllegalArgumentException with one line naming the key, if a value is bad or bootstrap
   *     is on together with static seed nodes
   * @throws com.typesafe.config.ConfigException if a key is missing or of the wrong type
   */
  public static BootstrapSettings create(Config config) {
    BootstrapSettings settings = new BootstrapSettings(config);
    if (settings.enabled) {
      settings.check(config);
    }
    return settings;
  }

  private void check(Config config) {
    if (!config.getStringList(SEEDS).isEmpty()) {
      throw new IllegalArgumentException(
          PREFIX
              + "enabled = on needs "
              + SEEDS
              + " = [], but it lists seed nodes: use one or the other (include"
              + " config/cluster/bootstrap.conf instead of static seeds)");
    }
    if (method == Method.CONFIG && contactPoints.isEmpty()) {
      throw new IllegalArgumentException(
          PREFIX
              + "discovery.config.contact-points is empty: list the nodes' HTTP endpoints as"
              + " \"host\" or \"host:port\"");
    }
    if (method == Method.KUBERNETES_API) {
      String url = kubernetes.apiUrl();
      if (!url.startsWith("https://") && !url.startsWith("http://")) {
        throw new IllegalArgumentException(
            PREFIX + "discovery.kubernetes-api.api-url must be an http(s) URL, was '" + url + "'");
      }
      if (kubernetes.labelSelector().isEmpty() || kubernetes.portName().isEmpty()) {
        throw new IllegalArgumentException(
            PREFIX + "discovery.kubernetes-api.label-selector and port-name must not be empty");
      }
    }
    if (requiredContactPoints < 1) {
      throw new IllegalArgumentException(
          PREFIX + "required-contact-points must be at least 1, was " + requiredContactPoints);
    }
    positive("stable-margin", stableMargin, true);
    positive("probe-interval", probeInterval, false);
    positive("request-timeout", requestTimeout, false);
    positive("formation-timeout", formationTimeout, false);
  }

  private static void positive(String key, Duration value, boolean zeroAllowed) {
    if (value.isNegative() || (!zeroAllowed && value.isZero())) {
      throw new IllegalArgumentException(
          PREFIX + key + " must be " + (zeroAllowed ? "zero or more" : "positive"));
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Returns whether the node finds its cluster through bootstrap. */
  public boolean enabled() {
    return enabled;
  }

  /** Returns how long the node may take to become Up before it gives up and stops. */
  public Duration formationTimeout() {
    return formationTimeout;
  }

  /** Returns a one-line description of where contact points come from, for messages. */
  public String describeDiscovery() {
    return method == Method.CONFIG
        ? "contact points " + contactPoints
        : "pods labelled "
            + kubernetes.labelSelector()
            + " in the Kubernetes API ("
            + kubernetes.apiUrl()
            + ")";
  }

  Method method() {
    return method;
  }

  List<ContactPoint> contactPoints() {
    return contactPoints;
  }

  Kubernetes kubernetes() {
    return kubernetes;
  }

  int ownHttpPort() {
    return ownHttpPort;
  }

  int requiredContactPoints() {
    return requiredContactPoints;
  }

  Duration stableMargin() {
    return stableMargin;
  }

  Duration probeInterval() {
    return probeInterval;
  }

  Duration requestTimeout() {
    return requestTimeout;
  }
}
