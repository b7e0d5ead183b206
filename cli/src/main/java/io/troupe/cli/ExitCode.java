package io.troupe.cli;

/** The exit codes of the {@code troupe} command, as DESIGN.md fixes them. */
public final class ExitCode {

  /** The job completed. */
  public static final int COMPLETED = 0;

  /** The job completed with quarantined items, or failed. */
  public static final int FAILED = 1;

  /** Usage or configuration error; one line on stderr explains it. */
  public static final int USAGE = 2;

  /** Internal error: a bug or an environment problem Troupe could not classify. */
  public static final int INTERNAL = 3;

  private ExitCode() {}

  /** Returns the exit code for a job's final state. */
  public static int forStatus(String status) {
    return "completed".equals(status) ? COMPLETED : FAILED;
  }
}
