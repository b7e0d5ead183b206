package io.troupe.cluster;

/**
 * Thrown by {@link TroupeNode#start} when the node gave up joining its seed nodes ({@code
 * pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes}) before it had finished starting, so
 * that the caller can say so instead of reporting what the stopping actor system tripped over.
 */
public final class JoinFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param cause what starting tripped over once the actor system was stopping
   */
  public JoinFailedException(Throwable cause) {
    super("the node gave up joining its seed nodes while it was starting", cause);
  }
}
