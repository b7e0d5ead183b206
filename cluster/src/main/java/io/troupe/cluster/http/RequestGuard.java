package io.troupe.cluster.http;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The checks every request to a node's endpoint passes before any route sees it, in this order:
 *
 * <ol>
 *   <li>{@code Host} names this node: the endpoint's configured host name, the node's cluster host
 *       name ({@code pekko.remote.artery.canonical.hostname}), {@code localhost}, a loopback
 *       address, an address the endpoint listens on, or a name in {@code troupe.http.allowed-hosts}
 *       — else 421. This defeats DNS rebinding, where a web page reaches the node under the
 *       attacker's own name. Names in {@code Host} are compared, never resolved.
 *   <li>{@code Origin}, when a browser sends one, is this node's own ({@code scheme://Host} of the
 *       request) or in {@code troupe.http.allowed-origins} — else 403.
 *   <li>A mutating request (any method but GET, HEAD, OPTIONS) carries {@code Content-Type:
 *       application/json} — else 415, so no HTML form or "simple" cross-site request can post.
 *   <li>The bearer token: mutating requests always need it; read-only ones when {@code
 *       troupe.http.authenticate-reads} says so, except {@code /ready}, {@code /alive} and the
 *       dashboard's page and assets, which hold no data, and {@code /bootstrap/seed-nodes}, which
 *       Cluster Bootstrap's peers ask without a token and which tells only the addresses of cluster
 *       members. {@code /metrics} also takes {@code troupe.http.metrics-token}. Else 401 with
 *       {@code WWW-Authenticate: Bearer}.
 * </ol>
 *
 * <p>Requests without {@code Origin} (the CLI, curl, Prometheus) pass the second check. Every
 * refusal is one line of JSON {@code {"error": ...}}.
 */
final class RequestGuard {

  /** A refused request: the status and the one-line reason. */
  record Refusal(StatusCode status, String message) {}

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

  private static final Pattern ASSET = Pattern.compile("/assets/[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private static final Set<String> OPEN_PATHS =
      Set.of("/ready", "/alive", "/", "/bootstrap/seed-nodes");

  private final Set<String> names;
  private final Set<InetAddress> ownAddresses;
  private final boolean wildcard;
  private final Set<String> allowedHosts;
  private final Set<String> allowedOrigins;
  private final String token;
  private final String metricsToken;
  private final boolean readsNeedToken;

  private RequestGuard(
      List<String> names,
      Set<InetAddress> ownAddresses,
      List<String> allowedHosts,
      List<String> allowedOrigins,
      String token,
      String metricsToken,
      boolean readsNeedToken) {
    Set<String> bare = new HashSet<>();
    for (String name : lower(names)) {
      bare.add(bare(name));
    }
    this.names = Set.copyOf(bare);
    this.ownAddresses = Set.copyOf(ownAddresses);
    this.wildcard = ownAddresses.stream().anyMatch(InetAddress::isAnyLocalAddress);
    this.allowedHosts = lower(allowedHosts);
    Set<String> origins = new HashSet<>();
    for (String o : lower(allowedOrigins)) {
      origins.add(o.endsWith("/") ? o.substring(0, o.length() - 1) : o);
    }
    this.allowedOrigins = Set.copyOf(origins);
    this.token = token;
    this.metricsToken = metricsToken;
    this.readsNeedToken = readsNeedToken;
  }

  /**
   * Returns the guard of a node's endpoint.
   *
   * @param settings the endpoint's settings, with its token decided
   * @param otherNames further names of the node that requests may use in {@code Host} (its cluster
   *     host name)
   * @return the guard
   */
  static RequestGuard of(HttpSettings settings, List<String> otherNames) {
    List<String> names = new ArrayList<>(otherNames);
    names.add(settings.hostname());
    return new RequestGuard(
        names,
        resolved(settings.hostname()),
        settings.allowedHosts(),
        settings.allowedOrigins(),
        settings.token(),
        settings.metricsToken(),
        settings.readsNeedToken());
  }

  /**
   * Returns a guard that checks {@code Host}, {@code Origin} and content type only, for an endpoint
   * without a token ({@code troupe run --metrics-port}, on loopback).
   *
   * @param hostname the address the endpoint binds
   * @return the guard
   */
  static RequestGuard withoutToken(String hostname) {
    return new RequestGuard(
        List.of(hostname), resolved(hostname), List.of(), List.of(), "", "", false);
  }

  /** Returns the route that runs {@code inner} only for requests that pass every check. */
  Route protect(Route inner) {
    AllDirectives d = new AllDirectives() {};
    return d.extractRequest(
        request ->
            check(request)
                .map(
                    refusal ->
                        refusal.status().equals(StatusCodes.UNAUTHORIZED)
                            ? d.respondWithHeader(
                                RawHeader.create("WWW-Authenticate", "Bearer realm=\"troupe\""),
                                () -> JobRoutes.error(refusal.status(), refusal.message()))
                            : JobRoutes.error(refusal.status(), refusal.message()))
                .orElse(inner));
  }

  /** Checks a request; returns why it is refused, or empty if it passes. */
  Optional<Refusal> check(HttpRequest request) {
    String method = request.method().value();
    Optional<String> host = request.getHeader("Host").map(HttpHeader::value);
    Optional<String> origin = request.getHeader("Origin").map(HttpHeader::value);
    String mediaType = request.entity().getContentType().mediaType().toString();
    Optional<String> bearer =
        request
            .getHeader("Authorization")
            .map(HttpHeader::value)
            .map(String::strip)
            .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(v -> v.substring(7).strip());
    return check(
        method,
        request.getUri().path(),
        request.getUri().scheme(),
        host.orElse(null),
        origin.orElse(null),
        mediaType,
        bearer.orElse(null));
  }

  /**
   * Checks a request given by its parts.
   *
   * @param method the HTTP method
   * @param path the request's path
   * @param scheme {@code http} or {@code https}, as the request came in
   * @param host the {@code Host} header, or null if absent
   * @param origin the {@code Origin} header, or null if absent
   * @param mediaType the body's media type, e.g. {@code application/json}
   * @param bearer the bearer token given, or null if none
   * @return why the request is refused, or empty if it passes
   */
  Optional<Refusal> check(
      String method,
      String path,
      String scheme,
      String host,
      String origin,
      String mediaType,
      String bearer) {
    if (host != null && !knownHost(host)) {
      return Optional.of(
          new Refusal(
              StatusCodes.MISDIRECTED_REQUEST,
              "Host '"
                  + shorten(host)
                  + "' does not name this node; add it to troupe.http.allowed-hosts if a proxy"
                  + " or load balancer uses that name"));
    }
    if (origin != null && !ownOrigin(origin, scheme, host)) {
      return Optional.of(
          new Refusal(
              StatusCodes.FORBIDDEN,
              "cross-origin request refused: Origin '"
                  + shorten(origin)
                  + "' is not this node's; add it to troupe.http.allowed-origins to allow it"));
    }
    boolean mutating = !SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT));
    if (mutating && !mediaType.toLowerCase(Locale.ROOT).equals("application/json")) {
      return Optional.of(
          new Refusal(
              StatusCodes.UNSUPPORTED_MEDIA_TYPE,
              method + " needs Content-Type: application/json, was " + shorten(mediaType)));
    }
    if (token.isEmpty() || !(mutating || (readsNeedToken && !open(path)))) {
      return Optional.empty();
    }
    if (bearer != null
        && (same(bearer, token)
            || (path.equals("/metrics")
                && !metricsToken.isEmpty()
                && same(bearer, metricsToken)))) {
      return Optional.empty();
    }
    return Optional.of(
        new Refusal(
            StatusCodes.UNAUTHORIZED,
            (bearer == null ? "" : "wrong token: ")
                + (mutating ? "this route" : "reading this node")
                + " needs the header Authorization: Bearer <token> (the node's token:"
                + " troupe.http.token, TROUPE_HTTP_TOKEN or the file troupe.http.token-file)"));
  }

  /**
   * Returns true for the routes that answer without a token: those that hold no data, and Cluster
   * Bootstrap's seed nodes (member addresses only), which peers ask before they could hold one.
   */
  private static boolean open(String path) {
    return OPEN_PATHS.contains(path) || ASSET.matcher(path).matches();
  }

  private boolean knownHost(String header) {
    String value = header.strip().toLowerCase(Locale.ROOT);
    String name;
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      if (end < 0) {
        return false;
      }
      name = value.substring(1, end);
      String rest = value.substring(end + 1);
      if (!rest.isEmpty() && !validPort(rest)) {
        return false;
      }
      if (!IPV6.matcher(name).matches()) {
        return false;
      }
    } else {
      int colon = value.indexOf(':');
      if (colon != value.lastIndexOf(':')) {
        return false; // an IPv6 literal must be in brackets
      }
      name = colon < 0 ? value : value.substring(0, colon);
      if (colon >= 0 && !validPort(value.substring(colon))) {
        return false;
      }
    }
    if (name.isEmpty()) {
      return false;
    }
    if (names.contains(name)
        || name.equals("localhost")
        || allowedHosts.contains(name)
        || allowedHosts.contains(value)) {
      return true;
    }
    InetAddress literal = literal(name);
    if (literal == null) {
      return false;
    }
    return literal.isLoopbackAddress()
        || ownAddresses.contains(literal)
        || (wildcard && localInterface(literal));
  }

  private boolean ownOrigin(String origin, String scheme, String host) {
    String value = origin.strip().toLowerCase(Locale.ROOT);
    if (allowedOrigins.contains(value)) {
      return true;
    }
    return host != null
        && value.equals(
            scheme.toLowerCase(Locale.ROOT) + "://" + host.strip().toLowerCase(Locale.ROOT));
  }

  /** Parses an address literal without ever asking DNS; null for a name. */
  private static InetAddress literal(String name) {
    boolean v4 = IPV4.matcher(name).matches();
    boolean v6 = name.indexOf(':') >= 0 && IPV6.matcher(name).matches();
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(name); // a literal: no lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean localInterface(InetAddress address) {
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private static boolean validPort(String colonAndPort) {
    return colonAndPort.matches(":\\d{1,5}");
  }

  private static boolean same(String given, String expected) {
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  /** The addresses the endpoint's host name stands for, resolved once at start. */
  private static Set<InetAddress> resolved(String hostname) {
    try {
      return Set.copyOf(Arrays.asList(InetAddress.getAllByName(hostname)));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return Set.of();
    }
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static Set<String> lower(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.add(v.strip().toLowerCase(Locale.ROOT));
    }
    return Set.copyOf(out);
  }

  private static String shorten(String value) {
    String oneLine = value.replaceAll("\\p{Cntrl}", " ");
    return oneLine.length() <= 100 ? oneLine : oneLine.substring(0, 100) + "...";
  }
}
