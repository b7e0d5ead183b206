package io.troupe.persistence.registry;

/** The job registry's database could not be used; the message says why in one line. */
public final class RegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message why, in one line
   * @param cause the database's error
   */
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
