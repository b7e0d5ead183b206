package io.troupe.persistence.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The job registry in an H2 file, beside the ledgers of {@code troupe run}. */
final class H2JobRegistryTest extends JobRegistryContract {

  @TempDir static Path dir;

  @Override
  String persistence() {
    return "troupe.persistence.h2.file = \"" + dir.resolve("registry") + "\"";
  }
}
