package io.troupe.persistence.registry;

import io.troupe.persistence.testing.PostgresDatabase;

/**
 * The job registry on PostgreSQL, shared by a cluster's nodes: skipped without a server on
 * 127.0.0.1:5432, failed instead under {@code TROUPE_REQUIRE_POSTGRES=1}.
 */
final class PostgresJobRegistryTest extends JobRegistryContract {

  private PostgresDatabase db;

  @Override
  String persistence() {
    db = PostgresDatabase.createOrSkip();
    return db.hocon();
  }

  @Override
  void release() {
    if (db != null) {
      db.close();
    }
  }
}
