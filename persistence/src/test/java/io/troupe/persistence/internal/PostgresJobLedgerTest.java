package io.troupe.persistence.internal;

import io.troupe.persistence.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The ledger on PostgreSQL, the journal a cluster shares: skipped without a server on
 * 127.0.0.1:5432, failed instead under {@code TROUPE_REQUIRE_POSTGRES=1}.
 */
final class PostgresJobLedgerTest extends JobLedgerContract {

  private PostgresDatabase db;

  @Override
  String persistence() {
    db = PostgresDatabase.createOrSkip();
    return db.hocon();
  }

  @Override
  Connection connect() throws SQLException {
    return db.connect();
  }

  @Override
  void release() {
    if (db != null) {
      db.close();
    }
  }
}
