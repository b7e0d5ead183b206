package io.troupe.persistence.internal;

import io.troupe.persistence.PersistenceStartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the ledger schema: versioned migrations (Flyway) for H2 and PostgreSQL, applied when a node
 * starts.
 *
 * <p>Migrating is idempotent (an up-to-date schema is left alone) and safe when several nodes start
 * at once against one PostgreSQL database: Flyway serialises concurrent migrations with an advisory
 * lock, so the schema is migrated once and every node starts. A database that cannot be reached,
 * refuses the credentials, or carries a schema version newer than this code fails with a one-line
 * {@link PersistenceStartupException} before anything is written.
 */
public final class SchemaMigrations {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

  /** Flyway's history table; lives beside the ledger tables. */
  public static final String HISTORY_TABLE = "troupe_schema_history";

  private SchemaMigrations() {}

  /**
   * What a migration run found and did.
   *
   * @param version the schema version after the run
   * @param applied how many migrations this run applied (0 when the schema was up to date)
   */
  public record Result(String version, int applied) {}

  /**
   * Brings the schema to this code's version, or checks it is there when migrations are off.
   *
   * @param settings the database to migrate
   * @return the resulting version and how many migrations were applied
   * @throws PersistenceStartupException if the database cannot be used
   */
  public static Result migrate(PersistenceSettings settings) {
    if (settings.journal() == PersistenceSettings.Journal.MEMORY) {
      return new Result("memory", 0);
    }
    prepareH2Directory(settings);
    Flyway flyway = flyway(settings);
    try {
      // One info() per run: each scans the classpath for migrations.
      org.flywaydb.core.api.MigrationInfoService info = flyway.info();
      String known = latestKnown(info);
      MigrationInfo[] applied = info.applied();
      Optional<MigrationInfo> future =
          Arrays.stream(applied)
              .filter(
                  m ->
                      m.getState() == MigrationState.FUTURE_SUCCESS
                          || m.getState() == MigrationState.FUTURE_FAILED)
              .reduce((a, b) -> b);
      if (future.isPresent()) {
        throw new PersistenceStartupException(
            String.format(
                "the ledger schema in %s is at version %s, newer than this Troupe knows (%s);"
                    + " upgrade Troupe or point it at another database",
                settings.describe(), future.get().getVersion(), known),
            null);
      }
      if (!settings.migrate()) {
        if (info.pending().length > 0) {
          throw new PersistenceStartupException(
              String.format(
                  "the ledger schema in %s is behind this Troupe (version %s) and"
                      + " troupe.persistence.migrate is off; turn it on or migrate the schema",
                  settings.describe(), known),
              null);
        }
        return new Result(known, 0);
      }
      MigrateResult result = flyway.migrate();
      if (result.migrationsExecuted > 0) {
        LOG.info(
            "Migrated the ledger schema of {} to version {} ({} migration(s))",
            settings.describe(),
            result.targetSchemaVersion,
            result.migrationsExecuted);
      }
      return new Result(known, result.migrationsExecuted);
    } catch (FlywayException e) {
      throw new PersistenceStartupException(explain(settings, e), e);
    }
  }

  private static Flyway flyway(PersistenceSettings settings) {
    String location =
        settings.journal() == PersistenceSettings.Journal.H2
            ? "classpath:io/troupe/persistence/db/h2"
            : "classpath:io/troupe/persistence/db/postgres";
    return Flyway.configure(SchemaMigrations.class.getClassLoader())
        .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
        .locations(location)
        .table(HISTORY_TABLE)
        // Fail rather than ignore migrations applied by a newer Troupe.
        .ignoreMigrationPatterns(new String[0])
        .validateOnMigrate(true)
        .cleanDisabled(true)
        .baselineOnMigrate(false)
        .loggers("slf4j")
        .load();
  }

  private static String latestKnown(org.flywaydb.core.api.MigrationInfoService info) {
    MigrationInfo[] all = info.all();
    String latest = "none";
    for (MigrationInfo m : all) {
      if (m.getState() != MigrationState.FUTURE_SUCCESS
          && m.getState() != MigrationState.FUTURE_FAILED
          && m.getVersion() != null) {
        latest = m.getVersion().getVersion();
      }
    }
    return latest;
  }

  private static void prepareH2Directory(PersistenceSettings settings) {
    if (settings.journal() != PersistenceSettings.Journal.H2) {
      return;
    }
    try {
      Files.createDirectories(settings.h2File().getParent());
    } catch (IOException e) {
      throw new PersistenceStartupException(
          "cannot create the ledger directory " + settings.h2File().getParent() + ": " + e, e);
    }
  }

  /** Turns Flyway's multi-line errors into one line an operator can act on. */
  static String explain(PersistenceSettings settings, FlywayException e) {
    SQLException sql = rootSqlException(e);
    String where = settings.describe();
    if (sql != null) {
      String state = sql.getSQLState() == null ? "" : sql.getSQLState();
      String detail = firstLine(sql.getMessage());
      if (state.startsWith("08")) {
        return "cannot connect to " + where + ": " + detail;
      }
      if (state.equals("28P01") || state.equals("28000")) {
        return "the database refused the credentials for " + where + ": " + detail;
      }
      if (state.equals("3D000")) {
        return "the database does not exist: " + where + " (create it first): " + detail;
      }
      if (state.equals("90020") || (detail != null && detail.contains("already in use"))) {
        return where + " is in use by another process: " + detail;
      }
      return "cannot use " + where + ": " + detail;
    }
    return "cannot migrate the ledger schema of " + where + ": " + firstLine(e.getMessage());
  }

  private static SQLException rootSqlException(Throwable e) {
    SQLException found = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException s) {
        found = s;
      }
    }
    return found;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no details)";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }
}
