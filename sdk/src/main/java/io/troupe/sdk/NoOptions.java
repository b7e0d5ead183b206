package io.troupe.sdk;

/**
 * The options of a pipeline that takes none: {@code newOptions()} returns {@link #INSTANCE}, and
 * any argument is a usage error.
 */
public enum NoOptions {
  /** The single instance. */
  INSTANCE
}
