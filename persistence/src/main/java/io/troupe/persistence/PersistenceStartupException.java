package io.troupe.persistence;

/**
 * The ledger database cannot be used: unreachable, refused the credentials, or holds a schema this
 * version of Troupe does not know. The message is one line meant for an operator.
 */
public final class PersistenceStartupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line saying what is wrong and what to do
   * @param cause the underlying error, or {@code null}
   */
  public PersistenceStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
