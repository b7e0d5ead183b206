package io.troupe.examples.crawl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * URL normalisation, so that one resource has one id: the crawler deduplicates work by the
 * normalised URL.
 *
 * <p>A normalised URL is absolute {@code http} or {@code https}, with a lowercase scheme and host,
 * no default port ({@code 80}, {@code 443}), no user info, no fragment, a path of at least {@code
 * /} with {@code .} and {@code ..} segments resolved, and the query kept as written. Two references
 * name the same resource here exactly when they normalise to the same string.
 */
public final class Urls {

  private Urls() {}

  /**
   * Normalises an absolute URL.
   *
   * @param url the URL
   * @return the normalised URL, or empty if it is not an absolute http(s) URL with a host
   */
  public static Optional<String> normalize(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    return normalize(uri);
  }

  /**
   * Resolves a link against the URL of the page it is on and normalises it.
   *
   * @param base the page's (or its {@code <base>}'s) absolute URL
   * @param href the link as written
   * @return the normalised URL, or empty for a link that is not http(s) or cannot be parsed
   */
  public static Optional<String> resolve(String base, String href) {
    String ref = href.strip();
    try {
      if (ref.isEmpty() || ref.startsWith("#")) {
        // The same document; java.net.URI would resolve an empty reference to the directory.
        return normalize(new URI(base.strip()));
      }
      if (ref.startsWith("?")) {
        // Only the query changes (RFC 3986); java.net.URI would drop the last path segment.
        URI b = new URI(base.strip());
        return normalize(
            new URI(b.getScheme() + "://" + b.getRawAuthority() + b.getRawPath() + ref));
      }
      return normalize(new URI(base.strip()).resolve(new URI(ref)));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> normalize(URI uri) {
    String scheme = uri.getScheme();
    if (scheme == null || uri.isOpaque()) {
      return Optional.empty();
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.empty();
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return Optional.empty();
    }
    host = host.toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    if ((scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443)) {
      port = -1;
    }
    String path = removeDotSegments(uri.getRawPath() == null ? "" : uri.getRawPath());
    StringBuilder out = new StringBuilder(scheme).append("://").append(host);
    if (port != -1) {
      out.append(':').append(port);
    }
    out.append(path.isEmpty() ? "/" : path);
    if (uri.getRawQuery() != null) {
      out.append('?').append(uri.getRawQuery());
    }
    return Optional.of(out.toString());
  }

  /** RFC 3986 section 5.2.4, for an absolute path; a ".." above the root stays at the root. */
  private static String removeDotSegments(String path) {
    if (!path.contains(".")) {
      return path;
    }
    String[] segments = path.split("/", -1);
    java.util.ArrayDeque<String> kept = new java.util.ArrayDeque<>();
    for (int i = 1; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      if (s.equals(".")) {
        if (last) {
          kept.addLast("");
        }
      } else if (s.equals("..")) {
        kept.pollLast();
        if (last) {
          kept.addLast("");
        }
      } else {
        kept.addLast(s);
      }
    }
    return "/" + String.join("/", kept);
  }

  /**
   * Returns the origin of a normalised URL: scheme, host and port.
   *
   * @param normalized a URL {@link #normalize} returned
   * @return for example {@code http://127.0.0.1:8080}
   */
  public static String origin(String normalized) {
    int slash = normalized.indexOf('/', normalized.indexOf("://") + 3);
    return slash < 0 ? normalized : normalized.substring(0, slash);
  }
}
