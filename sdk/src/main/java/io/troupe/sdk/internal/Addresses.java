package io.troupe.sdk.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which IP addresses a job may connect to: the special-purpose ranges (loopback, private,
 * link-local, shared, multicast, reserved, documentation) by kind, and ranges an operator allows,
 * parsed from literals only, so that classifying never looks a name up (internal API).
 */
public final class Addresses {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** A range with the kind of address it holds, as a refusal names it. */
  private record Special(Range range, String kind) {}

  /** IPv4 ranges that are not public unicast addresses (RFC 6890 and its updates). */
  private static final List<Special> SPECIAL_V4 =
      List.of(
          special("0.0.0.0/8", "an unspecified (this-network) address"),
          special("10.0.0.0/8", "a private address"),
          special("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
          special("127.0.0.0/8", "a loopback address"),
          special("169.254.0.0/16", "a link-local address"),
          special("172.16.0.0/12", "a private address"),
          special("192.0.0.0/24", "a reserved address"),
          special("192.0.2.0/24", "a documentation address"),
          special("192.88.99.0/24", "a reserved address"),
          special("192.168.0.0/16", "a private address"),
          special("198.18.0.0/15", "a reserved (benchmarking) address"),
          special("198.51.100.0/24", "a documentation address"),
          special("203.0.113.0/24", "a documentation address"),
          special("224.0.0.0/4", "a multicast address"),
          special("240.0.0.0/4", "a reserved or broadcast address"));

  /** IPv6 ranges that are not public unicast addresses, after unwrapping embedded IPv4. */
  private static final List<Special> SPECIAL_V6 =
      List.of(
          special("::/128", "an unspecified address"),
          special("::1/128", "a loopback address"),
          special("64:ff9b:1::/48", "a reserved (local NAT64) address"),
          special("100::/64", "a reserved (discard) address"),
          special("2001::/23", "a reserved (IETF protocol) address"),
          special("2001:db8::/32", "a documentation address"),
          special("fc00::/7", "a unique-local (private) address"),
          special("fe80::/10", "a link-local address"),
          special("fec0::/10", "a site-local (private) address"),
          special("ff00::/8", "a multicast address"));

  private static final Range NAT64 = Range.parse("64:ff9b::/96");
  private static final Range SIX_TO_FOUR = Range.parse("2002::/16");

  private Addresses() {}

  private static Special special(String range, String kind) {
    return new Special(Range.parse(range), kind);
  }

  /**
   * Parses an IP address literal without any name lookup.
   *
   * @param text dotted-quad IPv4 or IPv6 (with or without brackets, without a zone)
   * @return the address
   * @throws IllegalArgumentException if the text is not an address literal
   */
  public static InetAddress literal(String text) {
    String t = text.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    boolean v4 = IPV4.matcher(t).matches();
    if (!v4 && (t.indexOf(':') < 0 || t.indexOf('%') >= 0)) {
      throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
    }
    try {
      // A literal (dotted quad, or with a colon) is parsed, never looked up.
      return InetAddress.getByName(t);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address literal: '" + text + "'", e);
    }
  }

  /**
   * Returns whether a host is written as an address literal, so that using it needs no lookup.
   *
   * @param host a host as a URL carries it
   * @return true for a dotted quad or an IPv6 literal
   */
  public static boolean isLiteral(String host) {
    try {
      literal(host);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Returns the IPv4 address an IPv6 address stands for, if it embeds one that is where traffic
   * goes (IPv4-mapped, IPv4-compatible, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}); else
   * the address itself.
   *
   * @param address any address
   * @return the address that decides where a connection goes
   */
  public static InetAddress unwrap(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    boolean zeros = true;
    for (int i = 0; i < 10; i++) {
      zeros &= b[i] == 0;
    }
    boolean mapped = zeros && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    // ::a.b.c.d (deprecated), but not :: and ::1, which are IPv6's own.
    boolean compatible =
        zeros
            && b[10] == 0
            && b[11] == 0
            && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1));
    if (mapped || compatible || NAT64.contains(b)) {
      return v4(Arrays.copyOfRange(b, 12, 16));
    }
    if (SIX_TO_FOUR.contains(b)) {
      return v4(Arrays.copyOfRange(b, 2, 6));
    }
    return address;
  }

  private static InetAddress v4(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  /**
   * Classifies an address.
   *
   * @param address any address
   * @return what kind of non-public address it is, e.g. {@code "a loopback address"}, or empty for
   *     a public unicast address
   */
  public static Optional<String> kind(InetAddress address) {
    InetAddress a = unwrap(address);
    byte[] bytes = a.getAddress();
    for (Special s : a instanceof Inet4Address ? SPECIAL_V4 : SPECIAL_V6) {
      if (s.range.contains(bytes)) {
        return Optional.of(s.kind);
      }
    }
    return Optional.empty();
  }

  /**
   * A range of addresses: a network and a prefix length, as in {@code 10.0.0.0/8}.
   *
   * @param network the network's bytes (4 or 16)
   * @param prefix how many leading bits count
   */
  public record Range(byte[] network, int prefix) {

    /** Copies the bytes. */
    public Range {
      network = network.clone();
    }

    /** Returns a copy of the network's bytes. */
    @Override
    public byte[] network() {
      return network.clone();
    }

    /**
     * Parses {@code ADDRESS} or {@code ADDRESS/PREFIX}, literals only.
     *
     * @param text the range
     * @return the range
     * @throws IllegalArgumentException if it is not an address literal with a valid prefix
     */
    public static Range parse(String text) {
      String t = text.strip();
      int slash = t.indexOf('/');
      InetAddress address = literal(slash < 0 ? t : t.substring(0, slash));
      int bits = address.getAddress().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
          throw new IllegalArgumentException(
              "not a prefix length from 0 to " + bits + ": '" + text + "'");
        }
      }
      return new Range(address.getAddress(), prefix);
    }

    /**
     * Returns whether the range holds an address; an IPv4 range also holds the IPv6 addresses that
     * stand for its addresses (see {@link Addresses#unwrap}).
     *
     * @param address the address
     * @return true if it is in the range
     */
    public boolean contains(InetAddress address) {
      return contains(address.getAddress()) || contains(unwrap(address).getAddress());
    }

    boolean contains(byte[] bytes) {
      if (bytes.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (bytes[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Range r && r.prefix == prefix && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
      return v4OrV6(network).getHostAddress().toLowerCase(Locale.ROOT) + "/" + prefix;
    }

    private static InetAddress v4OrV6(byte[] bytes) {
      try {
        return InetAddress.getByAddress(bytes);
      } catch (UnknownHostException e) {
        throw new IllegalStateException("4 or 16 bytes are an address", e);
      }
    }
  }
}
