package io.troupe.actors;

/**
 * A message set aside because handling it kept failing; the actor carried on without it.
 *
 * @param message the message that failed
 * @param errorClass the class name of the last exception
 * @param reason the message of the last exception, or its class name when it had none
 * @param attempts how many times handling the message was attempted
 * @param <T> the message type
 */
public record Quarantined<T>(T message, String errorClass, String reason, int attempts) {

  /**
   * Describes a failure for a quarantine record.
   *
   * @param message the message that failed
   * @param error the last exception
   * @param attempts how many times handling the message was attempted
   * @param <T> the message type
   * @return the record
   */
  public static <T> Quarantined<T> of(T message, Throwable error, int attempts) {
    String reason = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
    return new Quarantined<>(message, error.getClass().getName(), reason, attempts);
  }
}
