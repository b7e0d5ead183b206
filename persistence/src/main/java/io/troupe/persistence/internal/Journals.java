package io.troupe.persistence.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.Map;

/**
 * Derives Pekko's persistence wiring from {@code troupe.persistence}: which journal, snapshot store
 * and durable-state plugins to use, and the shared pekko-persistence-jdbc database they run on.
 *
 * <p>Pass {@link #layer} to {@code TroupeSystem.config(application, List.of(Journals::layer))}: the
 * keys sit below the application config, so an operator can still override any of them.
 */
public final class Journals {

  /** Name of the pekko-persistence-jdbc shared database Troupe configures. */
  public static final String SHARED_DB = "troupe";

  private Journals() {}

  /**
   * Returns the persistence keys for the settings found in a config.
   *
   * @param userView a resolved config containing {@code troupe.persistence}
   * @return the keys to layer below the application config
   */
  public static Config layer(Config userView) {
    return layer(PersistenceSettings.create(userView));
  }

  /**
   * Returns the persistence keys for the given settings.
   *
   * @param settings where ledgers are stored
   * @return the keys to layer below the application config
   */
  public static Config layer(PersistenceSettings settings) {
    if (settings.journal() == PersistenceSettings.Journal.MEMORY) {
      return ConfigFactory.parseMap(
          Map.of(
              "pekko.persistence.journal.plugin", "pekko.persistence.journal.inmem",
              "pekko.persistence.snapshot-store.plugin", "pekko.persistence.no-snapshot-store"));
    }
    boolean h2 = settings.journal() == PersistenceSettings.Journal.H2;
    String db = "pekko-persistence-jdbc.shared-databases." + SHARED_DB;
    // Values go in through ConfigValueFactory, so URLs and passwords need no HOCON quoting.
    return ConfigFactory.empty()
        .withValue("pekko.persistence.journal.plugin", str("jdbc-journal"))
        .withValue("pekko.persistence.snapshot-store.plugin", str("jdbc-snapshot-store"))
        .withValue("pekko.persistence.state.plugin", str("jdbc-durable-state-store"))
        .withValue("jdbc-journal.use-shared-db", str(SHARED_DB))
        .withValue("jdbc-snapshot-store.use-shared-db", str(SHARED_DB))
        .withValue("jdbc-read-journal.use-shared-db", str(SHARED_DB))
        .withValue("jdbc-durable-state-store.use-shared-db", str(SHARED_DB))
        .withValue(
            db + ".profile", str(h2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$"))
        .withValue(db + ".db.url", str(settings.jdbcUrl()))
        .withValue(db + ".db.user", str(settings.user()))
        .withValue(db + ".db.password", str(settings.password()))
        .withValue(db + ".db.driver", str(h2 ? "org.h2.Driver" : "org.postgresql.Driver"))
        .withValue(db + ".db.connectionPool", str("HikariCP"))
        .withValue(db + ".db.numThreads", num(settings.maxConnections()))
        .withValue(db + ".db.maxConnections", num(settings.maxConnections()))
        .withValue(db + ".db.minConnections", num(1))
        .withValue(db + ".db.queueSize", num(10_000))
        .withValue(db + ".db.connectionTimeout", num(settings.connectTimeout().toMillis()))
        .withValue(db + ".db.keepAliveConnection", ConfigValueFactory.fromAnyRef(false));
  }

  private static com.typesafe.config.ConfigValue str(String value) {
    return ConfigValueFactory.fromAnyRef(value);
  }

  private static com.typesafe.config.ConfigValue num(long value) {
    return ConfigValueFactory.fromAnyRef(value);
  }
}
