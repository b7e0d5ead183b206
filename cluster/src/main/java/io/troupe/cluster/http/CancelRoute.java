package io.troupe.cluster.http;

import static io.troupe.cluster.http.JobRoutes.error;
import static io.troupe.cluster.http.JobRoutes.json;

import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.JobIds;
import io.troupe.cluster.internal.JobStatusJson;
import io.troupe.persistence.registry.JobRegistry;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code DELETE /api/jobs/{id}}: cancels a job (see {@link JobRoutes}). */
final class CancelRoute extends AllDirectives {

  private final TroupeNode node;
  private final HttpSettings settings;

  CancelRoute(TroupeNode node, HttpSettings settings) {
    this.node = node;
    this.settings = settings;
  }

  /**
   * Cancels a job: 200 with its status once the cancel is recorded (also when it was canceled
   * before); 409 if the job was over already (the body names how it ended); 404 if there is no such
   * job; 503 with {@code Retry-After} if its coordinator did not confirm in time; 500 if its ledger
   * could not record the cancel (the job failed instead, and stays resumable). {@link RequestGuard}
   * has checked the token.
   */
  Route cancel(String id) {
    if (!JobIds.isValid(id)) {
      return error(StatusCodes.NOT_FOUND, "no job " + id);
    }
    CompletionStage<Optional<JobStatus>> canceled =
        node.jobs()
            .cancel(id, settings.askTimeout())
            .thenApply(Optional::of)
            .exceptionallyCompose(
                failure ->
                    noJob(failure)
                        ? startAdmittedThenCancel(id)
                        : CompletableFuture.failedFuture(failure));
    return onComplete(
        canceled,
        done -> {
          if (done.isFailure()) {
            Throwable cause = unwrap(done.failed().get());
            if (noJob(cause)) {
              return error(StatusCodes.NOT_FOUND, "no job " + id);
            }
            if (cause instanceof java.util.concurrent.TimeoutException) {
              return respondWithHeader(
                  RawHeader.create("Retry-After", "1"),
                  () ->
                      error(
                          StatusCodes.SERVICE_UNAVAILABLE,
                          "the job's coordinator did not confirm the cancel in time; GET the job"
                              + " to see whether it is canceled, or send the cancel again"));
            }
            // The ledger could not record it: the job failed instead, and stays resumable.
            return error(
                StatusCodes.INTERNAL_SERVER_ERROR,
                "the job could not be canceled: " + cause.getMessage());
          }
          if (done.get().isEmpty()) {
            return error(StatusCodes.NOT_FOUND, "no job " + id);
          }
          JobStatus s = done.get().get();
          if (!JobStatus.CANCELED.equals(s.state())) {
            return error(
                StatusCodes.CONFLICT,
                "job " + id + " is over already (" + s.state() + "); there is nothing to cancel");
          }
          return json(StatusCodes.OK, JobStatusJson.of(s));
        });
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /** Returns true if a coordinator answered that it has no job (its ledger holds none). */
  private static boolean noJob(Throwable failure) {
    return String.valueOf(unwrap(failure).getMessage()).startsWith("there is no job ");
  }

  /**
   * A job the registry admitted whose start has not reached its coordinator (it may be on its way
   * from another node, or lost with a node that died): starts it from the registry, as the waker
   * would, and cancels it; the cancel takes effect once its plan is recorded. Empty if the registry
   * does not list the job as unfinished either.
   */
  private CompletionStage<Optional<JobStatus>> startAdmittedThenCancel(String id) {
    return CompletableFuture.supplyAsync(() -> node.registry().get(id), node.blocking())
        .thenCompose(
            row -> {
              if (row == null || !JobRegistry.UNFINISHED.contains(row.state())) {
                return CompletableFuture.completedFuture(Optional.<JobStatus>empty());
              }
              node.jobs().start(row.spec());
              return node.jobs().cancel(id, settings.askTimeout()).thenApply(Optional::of);
            });
  }
}
