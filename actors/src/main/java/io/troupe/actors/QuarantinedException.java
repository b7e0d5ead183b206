package io.troupe.actors;

/** An item was given up on after every attempt to process it failed. */
public final class QuarantinedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The quarantine record; transient because records of arbitrary items are not serializable. */
  private final transient Quarantined<?> record;

  /**
   * Creates the exception.
   *
   * @param record what was quarantined and why
   */
  public QuarantinedException(Quarantined<?> record) {
    super(
        "quarantined after "
            + record.attempts()
            + " attempt(s): "
            + record.errorClass()
            + ": "
            + record.reason());
    this.record = record;
  }

  /** Returns what was quarantined and why, or {@code null} after Java deserialization. */
  public Quarantined<?> record() {
    return record;
  }
}
