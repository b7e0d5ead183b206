package io.troupe.cluster.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Decides whether a host name a node binds keeps traffic on this machine: it must resolve, and
 * every address it resolves to must be a loopback address. A name such as {@code 127.example.com}
 * that resolves elsewhere is not loopback, whatever it looks like; neither is the wildcard ({@code
 * 0.0.0.0}, {@code ::}), {@code ""} or a name that does not resolve. Only names are resolved:
 * nothing is bound or connected.
 */
public final class Loopback {

  /** Resolves a host name to all its addresses; a seam for tests, which must not ask DNS. */
  @FunctionalInterface
  public interface Resolver {
    /**
     * Returns the addresses of a name.
     *
     * @param host a name or an address literal
     * @return its addresses
     * @throws UnknownHostException if it has none
     */
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private Loopback() {}

  /**
   * Returns whether {@code host} names loopback only, resolved with the system's resolver.
   *
   * @param host a host name or address literal
   * @return true if binding it listens on loopback only
   */
  public static boolean only(String host) {
    return only(host, InetAddress::getAllByName);
  }

  /**
   * Returns whether {@code host} names loopback only.
   *
   * @param host a host name or address literal
   * @param resolver how names are resolved
   * @return true if binding it listens on loopback only
   */
  public static boolean only(String host, Resolver resolver) {
    if (host == null || host.isBlank()) {
      return false;
    }
    try {
      InetAddress[] all = resolver.resolve(host);
      if (all.length == 0) {
        return false;
      }
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }
}
