package io.troupe.cli;

/** A user error the CLI reports in one line with exit code 2. */
public final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and what is allowed
   */
  public UsageException(String message) {
    super(message);
  }
}
