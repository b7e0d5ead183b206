package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.TestNodes;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A ledger that stops accepting writes mid-job fails the job after a bounded number of attempts,
 * having lost nothing: once the database is back, the job resumes to the exact result. Runs on
 * PostgreSQL, where the test can take the journal table away and give it back.
 */
final class LedgerOutageTest {

  @Test
  void ledgerWritesFailing_failTheJobInBoundedTime_andItResumesExactlyOnceTheyWork()
      throws Exception {
    try (PostgresDatabase db = PostgresDatabase.createOrSkip()) {
      String config =
          db.hocon()
              + "\ntroupe.jobs { workers-per-node = 2, retry-backoff { min = 10ms, max = 40ms } }"
              + "\ntroupe.jobs.ledger { write-timeout = 1s, max-write-failures = 3 }\n";
      List<String> args = List.of("--n", "600", "--sleep-ms", "5");
      try (TroupeNode node = TestNodes.startUp("outage-test", config)) {
        node.jobs().start(new JobSpec("outage", "sum", args)).toCompletableFuture().get();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> node.jobs().status("outage").toCompletableFuture().get().completed() > 50);

        sql(db, "ALTER TABLE event_journal RENAME TO event_journal_away");
        JobStatus failed = TestNodes.awaitCompletion(node, "outage", Duration.ofSeconds(60));
        assertThat(failed.state()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).contains("could not be written 3 times in a row");
      }

      sql(db, "ALTER TABLE event_journal_away RENAME TO event_journal");
      try (TroupeNode node = TestNodes.startUp("outage-test", config)) {
        node.jobs().resume("outage").toCompletableFuture().get(30, TimeUnit.SECONDS);
        JobStatus done = TestNodes.awaitCompletion(node, "outage", Duration.ofSeconds(60));
        assertThat(done.state()).isEqualTo("completed");
        assertThat(done.result().get("sum").asLong()).isEqualTo(600L * 601 / 2);
        assertThat(done.result().get("items").asLong()).isEqualTo(600);
        assertThat(done.report().get("itemsResumed").asLong()).isPositive();
      }
    }
  }

  private static void sql(PostgresDatabase db, String statement) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }
}
