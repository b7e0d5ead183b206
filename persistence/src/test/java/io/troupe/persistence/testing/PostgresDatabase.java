package io.troupe.persistence.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL database on the local server (127.0.0.1:5432, trust authentication) for
 * tests, created empty and dropped on {@link #close()}.
 *
 * <p>When the server cannot be reached the calling test is skipped, unless the environment sets
 * {@code TROUPE_REQUIRE_POSTGRES=1} (as CI does), in which case it fails: CI must never pass by
 * skipping the PostgreSQL cases.
 */
public final class PostgresDatabase implements AutoCloseable {

  /** Host and port of the test server. */
  public static final String SERVER = "127.0.0.1:5432";

  /** The user tests connect as. */
  public static final String USER = "postgres";

  private final String name;

  private PostgresDatabase(String name) {
    this.name = name;
  }

  /**
   * Creates an empty database, or skips (fails under {@code TROUPE_REQUIRE_POSTGRES=1}) the calling
   * test when the server is unreachable.
   *
   * @return the database
   */
  public static PostgresDatabase createOrSkip() {
    String name = "troupe_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = DriverManager.getConnection(adminUrl(), USER, "");
        Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      String why = "PostgreSQL is not reachable at " + SERVER + ": " + e.getMessage();
      if (required()) {
        Assertions.fail(why + " (TROUPE_REQUIRE_POSTGRES=1, so this is a failure, not a skip)");
      }
      Assumptions.abort(why);
    }
    return new PostgresDatabase(name);
  }

  /** Returns true when CI demands that PostgreSQL tests run. */
  public static boolean required() {
    return "1".equals(System.getenv("TROUPE_REQUIRE_POSTGRES"));
  }

  private static String adminUrl() {
    return "jdbc:postgresql://" + SERVER + "/postgres?connectTimeout=3";
  }

  /** Returns the database's name. */
  public String name() {
    return name;
  }

  /** Returns the JDBC URL of the database. */
  public String url() {
    return "jdbc:postgresql://" + SERVER + "/" + name;
  }

  /**
   * Returns HOCON that points Troupe's persistence at this database.
   *
   * @return config text for {@code troupe.persistence}
   */
  public String hocon() {
    return String.format(
        Locale.ROOT,
        "troupe.persistence { journal = postgres, postgres { url = \"%s\", user = \"%s\","
            + " password = \"\" } }",
        url(),
        USER);
  }

  /** Opens a connection to this database. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, "");
  }

  @Override
  public void close() {
    try (Connection admin = DriverManager.getConnection(adminUrl(), USER, "");
        Statement st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test database " + name, e);
    }
  }
}
