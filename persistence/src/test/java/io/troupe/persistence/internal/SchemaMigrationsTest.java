package io.troupe.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.troupe.persistence.PersistenceStartupException;
import io.troupe.persistence.testing.PostgresDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SchemaMigrationsTest {

  @TempDir Path dir;

  private static PersistenceSettings settings(String hocon) {
    return PersistenceSettings.create(
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private PersistenceSettings h2() {
    return settings("troupe.persistence.h2.file = \"" + dir.resolve("sub/ledger") + "\"");
  }

  private static List<String> tables(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
      }
    }
    return names;
  }

  @Test
  void migrate_onEmptyH2_createsLedgerTablesAndDirectory() throws SQLException {
    SchemaMigrations.Result result = SchemaMigrations.migrate(h2());

    assertThat(result.applied()).isEqualTo(2);
    assertThat(result.version()).isEqualTo("2");
    assertThat(Files.exists(dir.resolve("sub/ledger.mv.db"))).isTrue();
    try (Connection c = DriverManager.getConnection(h2().jdbcUrl(), "sa", "")) {
      assertThat(tables(c)).contains("event_journal", "event_tag", "snapshot", "durable_state");
    }
  }

  @Test
  void migrate_whenUpToDate_appliesNothing() {
    SchemaMigrations.migrate(h2());

    SchemaMigrations.Result again = SchemaMigrations.migrate(h2());

    assertThat(again.applied()).isZero();
    assertThat(again.version()).isEqualTo("2");
  }

  @Test
  void migrate_whenSchemaIsNewerThanCode_failsWithOneLineAndWritesNothing() throws SQLException {
    SchemaMigrations.migrate(h2());
    try (Connection c = DriverManager.getConnection(h2().jdbcUrl(), "sa", "");
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO \"troupe_schema_history\" (\"installed_rank\", \"version\","
              + " \"description\", \"type\", \"script\", \"checksum\", \"installed_by\","
              + " \"execution_time\", \"success\") VALUES (3, '7', 'from the future', 'SQL',"
              + " 'V7__future.sql', 0, 'sa', 0, TRUE)");
    }

    assertThatThrownBy(() -> SchemaMigrations.migrate(h2()))
        .isInstanceOf(PersistenceStartupException.class)
        .hasMessageContaining("is at version 7, newer than this Troupe knows (2)")
        .hasMessageNotContaining("\n");
  }

  @Test
  void migrate_whenMigrationsOffAndSchemaMissing_failsClearly() {
    PersistenceSettings off =
        settings("troupe.persistence { migrate = off, h2.file = \"" + dir.resolve("off") + "\" }");

    assertThatThrownBy(() -> SchemaMigrations.migrate(off))
        .isInstanceOf(PersistenceStartupException.class)
        .hasMessageContaining("troupe.persistence.migrate is off");
  }

  @Test
  void migrate_whenPostgresUnreachable_saysSoInOneLine() {
    PersistenceSettings nowhere =
        settings(
            "troupe.persistence { journal = postgres, postgres.url ="
                + " \"jdbc:postgresql://127.0.0.1:1/troupe?connectTimeout=2\" }");

    assertThatThrownBy(() -> SchemaMigrations.migrate(nowhere))
        .isInstanceOf(PersistenceStartupException.class)
        .hasMessageStartingWith("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/")
        .hasMessageNotContaining("\n");
  }

  @Test
  void migrate_onPostgres_isIdempotentAndCreatesTables() throws SQLException {
    try (PostgresDatabase db = PostgresDatabase.createOrSkip()) {
      PersistenceSettings pg = settings(db.hocon());

      assertThat(SchemaMigrations.migrate(pg).applied()).isEqualTo(2);
      assertThat(SchemaMigrations.migrate(pg).applied()).isZero();

      try (Connection c = db.connect()) {
        assertThat(tables(c)).contains("event_journal", "event_tag", "snapshot", "durable_state");
      }
    }
  }

  @Test
  void migrate_onPostgresFromTwoNodesAtOnce_migratesOnceAndBothSucceed() throws Exception {
    try (PostgresDatabase db = PostgresDatabase.createOrSkip()) {
      PersistenceSettings pg = settings(db.hocon());

      CompletableFuture<SchemaMigrations.Result> a =
          CompletableFuture.supplyAsync(() -> SchemaMigrations.migrate(pg));
      CompletableFuture<SchemaMigrations.Result> b =
          CompletableFuture.supplyAsync(() -> SchemaMigrations.migrate(pg));

      assertThat(a.get().applied() + b.get().applied()).isEqualTo(2);
      try (Connection c = db.connect();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery("SELECT count(*) FROM troupe_schema_history WHERE success")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
    }
  }

  @Test
  void migrate_onPostgresWithUnknownUser_refusesInOneLine() {
    try (PostgresDatabase db = PostgresDatabase.createOrSkip()) {
      PersistenceSettings stranger =
          settings(
              db.hocon()
                  + "\ntroupe.persistence.postgres { user = \"nobody_here\", password = \"x\" }");

      assertThatThrownBy(() -> SchemaMigrations.migrate(stranger))
          .isInstanceOf(PersistenceStartupException.class)
          .hasMessageStartingWith("the database refused the credentials for PostgreSQL at")
          .hasMessageNotContaining("\n");
    }
  }
}
