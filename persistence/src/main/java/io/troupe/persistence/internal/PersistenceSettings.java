package io.troupe.persistence.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Where and how job ledgers are stored, read once from {@code troupe.persistence} (documented key
 * by key in the persistence module's {@code reference.conf}).
 */
public final class PersistenceSettings {

  /** The kinds of journal Troupe can run on. */
  public enum Journal {
    /** An embedded H2 file database; one process at a time. */
    H2,
    /** A PostgreSQL server shared by all nodes. */
    POSTGRES,
    /** Pekko's in-memory journal; nothing survives the process. */
    MEMORY
  }

  private final Journal journal;
  private final Path h2File;
  private final String postgresUrl;
  private final String user;
  private final String password;
  private final int maxConnections;
  private final Duration connectTimeout;
  private final boolean migrate;
  private final int snapshotEvery;
  private final int keepSnapshots;
  private final int itemsPerEvent;
  private final int itemsPerWrite;

  private PersistenceSettings(Config p) {
    String kind = p.getString("journal").toUpperCase(Locale.ROOT);
    try {
      this.journal = Journal.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue(
          p.origin(),
          "troupe.persistence.journal",
          "must be \"h2\", \"postgres\" or \"memory\", was \"" + p.getString("journal") + "\"");
    }
    this.h2File = Path.of(p.getString("h2.file")).toAbsolutePath().normalize();
    this.postgresUrl = p.getString("postgres.url");
    this.user = journal == Journal.POSTGRES ? p.getString("postgres.user") : "sa";
    this.password = journal == Journal.POSTGRES ? p.getString("postgres.password") : "";
    this.maxConnections = p.getInt("max-connections");
    this.connectTimeout = p.getDuration("connect-timeout");
    this.migrate = p.getBoolean("migrate");
    this.snapshotEvery = p.getInt("ledger.snapshot-every");
    this.keepSnapshots = p.getInt("ledger.keep-snapshots");
    this.itemsPerEvent = p.getInt("ledger.items-per-event");
    this.itemsPerWrite = p.getInt("ledger.items-per-write");
    require(maxConnections >= 1, "troupe.persistence.max-connections must be >= 1");
    require(snapshotEvery >= 0, "troupe.persistence.ledger.snapshot-every must be >= 0");
    require(keepSnapshots >= 1, "troupe.persistence.ledger.keep-snapshots must be >= 1");
    require(itemsPerEvent >= 1, "troupe.persistence.ledger.items-per-event must be >= 1");
    require(itemsPerWrite >= 1, "troupe.persistence.ledger.items-per-write must be >= 1");
    require(
        journal != Journal.POSTGRES || postgresUrl.startsWith("jdbc:postgresql:"),
        "troupe.persistence.postgres.url must start with jdbc:postgresql:");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Reads the settings from a resolved config that contains {@code troupe.persistence}.
   *
   * @param config the full config
   * @return the settings
   * @throws IllegalArgumentException if a value is out of range
   * @throws ConfigException if a key is missing or has the wrong type
   */
  public static PersistenceSettings create(Config config) {
    return new PersistenceSettings(config.getConfig("troupe.persistence"));
  }

  /** Returns the kind of journal. */
  public Journal journal() {
    return journal;
  }

  /** Returns the absolute H2 database file, without the {@code .mv.db} suffix. */
  public Path h2File() {
    return h2File;
  }

  /** Returns the JDBC URL of the database, or {@code null} for the memory journal. */
  public String jdbcUrl() {
    return switch (journal) {
      case H2 -> "jdbc:h2:file:" + h2File + ";DATABASE_TO_UPPER=false";
      case POSTGRES -> postgresUrl;
      case MEMORY -> null;
    };
  }

  /** Returns the database user. */
  public String user() {
    return user;
  }

  /** Returns the database password; never log it. */
  public String password() {
    return password;
  }

  /** Returns the size of the connection pool. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Returns how long to wait for a connection at start. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Returns whether schema migrations are applied at start. */
  public boolean migrate() {
    return migrate;
  }

  /** Returns the number of ledger events between snapshots; 0 for none. */
  public int snapshotEvery() {
    return journal == Journal.MEMORY ? 0 : snapshotEvery;
  }

  /** Returns the number of snapshots kept per job. */
  public int keepSnapshots() {
    return keepSnapshots;
  }

  /** Returns the number of work items per ItemsAdded event. */
  public int itemsPerEvent() {
    return itemsPerEvent;
  }

  /** Returns the number of a listed plan's work items recorded per database write. */
  public int itemsPerWrite() {
    return itemsPerWrite;
  }

  /** Describes the database without its password, for log lines and error messages. */
  public String describe() {
    return switch (journal) {
      case H2 -> "H2 database " + h2File + ".mv.db";
      case POSTGRES -> "PostgreSQL at " + postgresUrl + " as user '" + user + "'";
      case MEMORY -> "in-memory journal";
    };
  }

  @Override
  public String toString() {
    return "PersistenceSettings[" + describe() + "]";
  }
}
