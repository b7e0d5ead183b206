package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.troupe.cluster.JobStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code troupe submit --wait} and {@code troupe status JOB} follow a job through its coordinator's
 * move: 503s while the coordinator is re-created elsewhere are waited out, not reported as errors.
 */
final class StatusFollowTest {

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Serves the given answers, in order, to GET /api/jobs/job-1; the last one repeats. */
  private String serve(Deque<Object[]> answers, AtomicInteger calls) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/jobs/job-1",
        exchange -> {
          calls.incrementAndGet();
          Object[] answer = answers.size() > 1 ? answers.poll() : answers.peek();
          byte[] body = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders((Integer) answer[0], body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static String status(String state, long completed) {
    return "{\"job\":\"job-1\",\"pipeline\":\"sum\",\"status\":\""
        + state
        + "\",\"progress\":{\"items\":10,\"completed\":"
        + completed
        + ",\"quarantined\":0,\"inFlight\":0,\"failedAttempts\":0},"
        + "\"result\":{\"sum\":55},\"report\":null,\"error\":null}";
  }

  @Test
  void unavailableWhileTheCoordinatorMoves_isWaitedOut() throws Exception {
    Deque<Object[]> answers = new ArrayDeque<>();
    answers.add(new Object[] {200, status("running", 3)});
    answers.add(new Object[] {503, "{\"error\":\"the job's coordinator did not answer\"}"});
    answers.add(new Object[] {503, "{\"error\":\"the job's coordinator did not answer\"}"});
    answers.add(new Object[] {200, status("completed", 10)});
    AtomicInteger calls = new AtomicInteger();
    NodeClient client = new NodeClient(serve(answers, calls), null);

    JobStatus done =
        StatusCommand.follow(client, "job-1", false, new PrintWriter(new StringWriter()));

    assertThat(done.state()).isEqualTo("completed");
    assertThat(done.completed()).isEqualTo(10);
    assertThat(calls.get()).isEqualTo(4);
  }

  @Test
  void anotherError_isReportedAtOnce() throws Exception {
    Deque<Object[]> answers = new ArrayDeque<>();
    answers.add(new Object[] {400, "{\"error\":\"bad job id\"}"});
    NodeClient client = new NodeClient(serve(answers, new AtomicInteger()), null);

    assertThatThrownBy(
            () -> StatusCommand.follow(client, "job-1", false, new PrintWriter(new StringWriter())))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("bad job id");
  }
}
