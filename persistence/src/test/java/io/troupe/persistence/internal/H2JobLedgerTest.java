package io.troupe.persistence.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on an H2 file journal, the default of {@code troupe run}. */
final class H2JobLedgerTest extends JobLedgerContract {

  @TempDir static Path dir;

  @Override
  String persistence() {
    return "troupe.persistence.h2.file = \"" + dir.resolve("ledger") + "\"";
  }

  @Override
  Connection connect() throws SQLException {
    return DriverManager.getConnection(
        PersistenceSettings.create(
                io.troupe.actors.TroupeSystem.config(
                    com.typesafe.config.ConfigFactory.parseString(persistence()),
                    java.util.List.of(Journals::layer)))
            .jdbcUrl(),
        "sa",
        "");
  }
}
