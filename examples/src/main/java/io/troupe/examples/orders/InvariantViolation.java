package io.troupe.examples.orders;

/**
 * An orders job broke one of its {@link Invariants}: thrown by the job's result step, which fails
 * the job with this message.
 */
public final class InvariantViolation extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which invariants were violated, with examples
   */
  public InvariantViolation(String message) {
    super(message);
  }
}
