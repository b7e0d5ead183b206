package io.troupe.cluster.bootstrap;

/** Why discovery found no contact points this round: one line for the log, no secrets. */
final class DiscoveryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  DiscoveryException(String message) {
    super(message, null, false, false);
  }
}
