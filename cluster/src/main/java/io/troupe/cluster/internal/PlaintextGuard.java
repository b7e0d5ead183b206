package io.troupe.cluster.internal;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Refuses a node that would speak plain text beyond loopback: Artery bound beyond loopback without
 * {@code transport = tls-tcp}, or the HTTP endpoint bound beyond loopback without {@code
 * troupe.http.tls.enabled}, unless {@code troupe.security.allow-plaintext} is on.
 *
 * <p>A host is loopback when its name resolves and every address it resolves to is a loopback
 * address; the wildcard ({@code 0.0.0.0}, {@code ::}), {@code ""} and a name that does not resolve
 * are not. Only names are resolved: nothing is bound or connected.
 */
public final class PlaintextGuard {

  private static final String FIX =
      " (or set troupe.security.allow-plaintext = on for a trusted network)";

  private PlaintextGuard() {}

  /**
   * Checks a node's config before it binds anything.
   *
   * @param config the node's full, resolved config
   * @return the one line to refuse the node with, naming the fix; empty if it may start
   */
  public static Optional<String> refusal(Config config) {
    return refusal(config, InetAddress::getAllByName);
  }

  static Optional<String> refusal(Config config, Loopback.Resolver resolver) {
    if (config.getBoolean("troupe.security.allow-plaintext")) {
      return Optional.empty();
    }
    String artery = arteryHost(config);
    boolean arteryPlain =
        !config.getString("pekko.remote.artery.transport").equals("tls-tcp")
            && !Loopback.only(artery, resolver);
    String http = localHostToken(config.getString("pekko.management.http.hostname"));
    boolean httpPlain =
        !config.getBoolean("troupe.http.tls.enabled") && !Loopback.only(http, resolver);
    if (arteryPlain && httpPlain) {
      String who =
          artery.equals(http)
              ? "Artery and the HTTP endpoint bind " + shown(artery)
              : "Artery binds " + shown(artery) + " and the HTTP endpoint binds " + shown(http);
      return Optional.of(who + " in plain text; include config/security/tls.conf" + FIX);
    }
    if (arteryPlain) {
      return Optional.of(
          "Artery binds "
              + shown(artery)
              + " in plain text; include config/security/tls.conf"
              + FIX);
    }
    if (httpPlain) {
      return Optional.of(
          "the HTTP endpoint binds "
              + shown(http)
              + " in plain text; set troupe.http.tls.enabled = on, as config/security/tls.conf"
              + " does"
              + FIX);
    }
    return Optional.empty();
  }

  /** The host Artery listens on: {@code bind.hostname}, or {@code canonical.hostname} if empty. */
  static String arteryHost(Config config) {
    String bind = config.getString("pekko.remote.artery.bind.hostname");
    return localHostToken(
        bind.isEmpty() ? config.getString("pekko.remote.artery.canonical.hostname") : bind);
  }

  /**
   * Replaces Pekko's placeholders for this machine's address ({@code <getHostAddress>}, {@code
   * <getHostName>}, management's {@code <hostname>}) by what they stand for.
   */
  private static String localHostToken(String host) {
    if (!host.startsWith("<")) {
      return host;
    }
    try {
      InetAddress local = InetAddress.getLocalHost();
      return host.equals("<getHostName>") ? local.getHostName() : local.getHostAddress();
    } catch (UnknownHostException e) {
      return host;
    }
  }

  private static String shown(String host) {
    return host.isEmpty() ? "\"\" (every interface)" : host;
  }
}
