package io.troupe.sdk;

/**
 * A pipeline's options are wrong: unknown, malformed, or pointing at something that does not exist.
 * The message is one line for the user, naming the option and what is allowed. {@code troupe run}
 * prints it and exits with code 2; a node answers {@code POST /api/jobs} with 400.
 */
public final class PipelineUsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and what is allowed
   */
  public PipelineUsageException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what is wrong, in one line
   * @param cause what the pipeline threw
   */
  public PipelineUsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
