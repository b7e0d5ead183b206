package io.troupe.cluster.bootstrap;

import java.net.URI;
import java.util.Comparator;
import java.util.Locale;

/**
 * A node's HTTP endpoint as discovery found it: where {@code /bootstrap/seed-nodes} is asked.
 *
 * @param host a host name or address literal (an IPv6 literal without brackets)
 * @param port the endpoint's port
 */
record ContactPoint(String host, int port) implements Comparable<ContactPoint> {

  private static final Comparator<ContactPoint> ORDER =
      Comparator.comparing(ContactPoint::host).thenComparingInt(ContactPoint::port);

  ContactPoint {
    if (host.isBlank()) {
      throw new IllegalArgumentException("a contact point needs a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("contact point port must be 1-65535, was " + port);
    }
    host = host.toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}.
   *
   * @param text the contact point as configured
   * @param defaultPort the port when none is given
   * @return the contact point
   * @throws IllegalArgumentException with one line if it is malformed
   */
  static ContactPoint parse(String text, int defaultPort) {
    String value = text.strip();
    String host;
    String port = "";
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      if (end < 0) {
        throw new IllegalArgumentException("contact point '" + text + "' lacks a closing ']'");
      }
      host = value.substring(1, end);
      String rest = value.substring(end + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("contact point '" + text + "' is not [host]:port");
        }
        port = rest.substring(1);
      }
    } else {
      int colon = value.indexOf(':');
      if (colon != value.lastIndexOf(':')) {
        throw new IllegalArgumentException(
            "contact point '" + text + "': write an IPv6 address in brackets, [addr]:port");
      }
      host = colon < 0 ? value : value.substring(0, colon);
      port = colon < 0 ? "" : value.substring(colon + 1);
    }
    if (host.isEmpty() || host.contains("/") || host.contains("@")) {
      throw new IllegalArgumentException(
          "contact point '" + text + "' must be \"host\" or \"host:port\"");
    }
    if (port.isEmpty()) {
      return new ContactPoint(host, defaultPort);
    }
    if (!port.matches("\\d{1,5}")) {
      throw new IllegalArgumentException(
          "contact point '" + text + "' has a bad port '" + port + "'");
    }
    return new ContactPoint(host, Integer.parseInt(port));
  }

  /** Returns the URI of {@code path} on this contact point's endpoint. */
  URI uri(String scheme, String path) {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return URI.create(scheme + "://" + h + ":" + port + path);
  }

  @Override
  public int compareTo(ContactPoint other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
