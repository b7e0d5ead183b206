package io.troupe.persistence.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.persistence.internal.PersistenceSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The job registry in a node's JDBC database (H2 or PostgreSQL), in the table {@code troupe_jobs}
 * of schema version 2.
 *
 * <p>Implementation notes: one connection per node, opened on first use and opened again after an
 * error; calls are serialised on it. Admission locks the one row of {@code troupe_admission} in a
 * transaction, so that counting unfinished jobs and adding one is a single step for every node of
 * the cluster. A record is an update guarded by the state (a final state stays), then an insert if
 * the job is not there yet; a concurrent insert of the same job loses quietly.
 */
final class JdbcJobRegistry implements JobRegistry {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private static final String COLUMNS =
      "job_id, pipeline, args, submitted_by, state, priority, submitted_at, started_at,"
          + " finished_at, items, completed, quarantined, failed_attempts, summary, updated_at";

  private static final String NOT_FINAL =
      "state NOT IN ('completed', 'completed_with_failures', 'canceled')";

  private static final String UNFINISHED_STATES = "state IN ('starting', 'running')";

  private final PersistenceSettings settings;
  private Connection connection;

  JdbcJobRegistry(PersistenceSettings settings) {
    this.settings = settings;
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} on the connection; an error closes it, so the next call opens a new one. */
  private synchronized <T> T withConnection(String what, Work<T> work) {
    try {
      if (connection == null || connection.isClosed()) {
        connection =
            DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
      }
      return work.run(connection);
    } catch (SQLException e) {
      closeQuietly();
      throw new RegistryException(
          "the job registry in " + settings.describe() + " could not " + what + ": " + line(e), e);
    }
  }

  private static String line(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage().strip();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline).strip();
  }

  @Override
  public long admit(Job job, int maxUnfinished) {
    return withConnection(
        "admit a job",
        c -> {
          c.setAutoCommit(false);
          boolean committed = false;
          try {
            try (PreparedStatement lock =
                    c.prepareStatement("SELECT id FROM troupe_admission WHERE id = 1 FOR UPDATE");
                ResultSet locked = lock.executeQuery()) {
              if (!locked.next()) {
                throw new SQLException("the row of troupe_admission is missing");
              }
            }
            long unfinished;
            try (PreparedStatement count =
                    c.prepareStatement(
                        "SELECT count(*) FROM troupe_jobs WHERE " + UNFINISHED_STATES);
                ResultSet counted = count.executeQuery()) {
              counted.next();
              unfinished = counted.getLong(1);
            }
            if (unfinished < maxUnfinished) {
              insert(c, job);
            }
            c.commit();
            committed = true;
            return unfinished;
          } catch (SQLException e) {
            if (!committed) {
              try {
                c.rollback();
              } catch (SQLException rollback) {
                e.addSuppressed(rollback);
              }
            }
            throw e;
          } finally {
            try {
              c.setAutoCommit(true);
            } catch (SQLException e) {
              // The admission stands (or was rolled back); the next call opens a new connection.
              closeQuietly();
            }
          }
        });
  }

  @Override
  public void record(List<Job> jobs) {
    write(jobs, true);
  }

  @Override
  public void update(List<Job> jobs) {
    write(jobs, false);
  }

  private void write(List<Job> jobs, boolean addMissing) {
    if (jobs.isEmpty()) {
      return;
    }
    withConnection(
        "record jobs",
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE troupe_jobs SET state = ?,"
                      + " started_at = COALESCE(started_at, ?), finished_at = ?, items = ?,"
                      + " completed = ?, quarantined = ?, failed_attempts = ?, summary = ?,"
                      + " updated_at = ? WHERE job_id = ? AND updated_at <= ? AND "
                      + NOT_FINAL)) {
            for (Job job : jobs) {
              update.setString(1, job.state());
              setMillis(update, 2, job.startedAt());
              setMillis(update, 3, job.finishedAt());
              update.setLong(4, job.items());
              update.setLong(5, job.completed());
              update.setLong(6, job.quarantined());
              update.setLong(7, job.failedAttempts());
              update.setString(8, job.summary());
              update.setLong(9, job.updatedAt());
              update.setString(10, job.job());
              update.setLong(11, job.updatedAt());
              if (update.executeUpdate() == 0 && addMissing && get(c, job.job()) == null) {
                try {
                  insert(c, job);
                } catch (SQLException e) {
                  if (!"23505".equals(e.getSQLState())) {
                    throw e;
                  }
                  // Added meanwhile by another node (an admission); its next record updates it.
                }
              }
            }
          }
          return null;
        });
  }

  private static void insert(Connection c, Job job) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO troupe_jobs ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, job.job());
      insert.setString(2, job.pipeline());
      insert.setString(3, args(job.args()));
      insert.setString(4, job.submittedBy());
      insert.setString(5, job.state());
      insert.setInt(6, job.priority());
      insert.setLong(7, job.submittedAt());
      setMillis(insert, 8, job.startedAt());
      setMillis(insert, 9, job.finishedAt());
      insert.setLong(10, job.items());
      insert.setLong(11, job.completed());
      insert.setLong(12, job.quarantined());
      insert.setLong(13, job.failedAttempts());
      insert.setString(14, job.summary());
      insert.setLong(15, job.updatedAt());
      insert.executeUpdate();
    }
  }

  private static void setMillis(PreparedStatement s, int index, long millis) throws SQLException {
    if (millis == 0) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, millis);
    }
  }

  private static String args(List<String> args) {
    try {
      return JSON.writeValueAsString(args);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a list of strings as JSON", e);
    }
  }

  @Override
  public Page list(Query query) {
    StringBuilder where = new StringBuilder(" WHERE submitted_at >= ?");
    List<String> states = new ArrayList<>(query.states());
    if (!states.isEmpty()) {
      where.append(" AND state IN (").append("?, ".repeat(states.size() - 1)).append("?)");
    }
    if (query.pipeline() != null) {
      where.append(" AND pipeline = ?");
    }
    Function<PreparedStatement, Integer> bind =
        s -> {
          try {
            int i = 1;
            s.setLong(i++, query.since());
            for (String state : states) {
              s.setString(i++, state);
            }
            if (query.pipeline() != null) {
              s.setString(i++, query.pipeline());
            }
            return i;
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        };
    return withConnection(
        "list jobs",
        c -> {
          long total;
          try (PreparedStatement count =
              c.prepareStatement("SELECT count(*) FROM troupe_jobs" + where)) {
            bind.apply(count);
            try (ResultSet r = count.executeQuery()) {
              r.next();
              total = r.getLong(1);
            }
          }
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM troupe_jobs"
                      + where
                      + " ORDER BY submitted_at DESC, job_id LIMIT ? OFFSET ?")) {
            int next = bind.apply(select);
            select.setInt(next, query.limit());
            select.setInt(next + 1, query.offset());
            return new Page(jobs(select), total);
          }
        });
  }

  @Override
  public Job get(String job) {
    return withConnection("read a job", c -> get(c, job));
  }

  private static Job get(Connection c, String job) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + COLUMNS + " FROM troupe_jobs WHERE job_id = ?")) {
      select.setString(1, job);
      List<Job> found = jobs(select);
      return found.isEmpty() ? null : found.get(0);
    }
  }

  @Override
  public List<Job> unfinished() {
    return withConnection(
        "list unfinished jobs",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM troupe_jobs WHERE "
                      + UNFINISHED_STATES
                      + " ORDER BY submitted_at, job_id")) {
            return jobs(select);
          }
        });
  }

  @Override
  public int purge(long finishedBefore) {
    return withConnection(
        "remove old jobs",
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM troupe_jobs WHERE finished_at < ? AND (state = 'failed' OR NOT ("
                      + NOT_FINAL
                      + "))")) {
            delete.setLong(1, finishedBefore);
            return delete.executeUpdate();
          }
        });
  }

  private static List<Job> jobs(PreparedStatement select) throws SQLException {
    List<Job> jobs = new ArrayList<>();
    try (ResultSet r = select.executeQuery()) {
      while (r.next()) {
        List<String> args;
        try {
          args = JSON.readValue(r.getString(3), STRINGS);
        } catch (JsonProcessingException e) {
          args = List.of();
        }
        jobs.add(
            new Job(
                r.getString(1),
                r.getString(2),
                args,
                r.getString(4),
                r.getString(5),
                r.getInt(6),
                r.getLong(7),
                r.getLong(8),
                r.getLong(9),
                r.getLong(10),
                r.getLong(11),
                r.getLong(12),
                r.getLong(13),
                r.getString(14),
                r.getLong(15)));
      }
    }
    return jobs;
  }

  /**
   * Returns a job's row after {@code update}: where it stands from the update; what it runs, who
   * submitted it, its priority and when it started from the row.
   */
  static Job merge(Job known, Job update) {
    return new Job(
        known.job(),
        known.pipeline(),
        known.args(),
        known.submittedBy(),
        update.state(),
        known.priority(),
        known.submittedAt(),
        known.startedAt() != 0 ? known.startedAt() : update.startedAt(),
        update.finishedAt(),
        update.items(),
        update.completed(),
        update.quarantined(),
        update.failedAttempts(),
        update.summary(),
        update.updatedAt());
  }

  private synchronized void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // The connection is being dropped after an error; nothing more to do with it.
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
