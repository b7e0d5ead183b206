package io.troupe.cluster.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.JobIds;
import io.troupe.cluster.internal.JobIndex;
import io.troupe.cluster.internal.JobSettings;
import io.troupe.cluster.internal.JobStatusJson;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.PipelineUsageException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Troupe's job API: {@code POST /api/jobs} {@code {"pipeline", "args"}} starts a job and answers
 * 202 {@code {"job"}}; {@code GET /api/jobs/{id}} its status, progress, result and report; {@code
 * GET /api/jobs} the cluster's recent jobs; {@code DELETE /api/jobs/{id}} cancels a job. Every
 * error is JSON {@code {"error": "..."}} with a 4xx status, and bad input never reaches a
 * coordinator.
 */
final class JobRoutes extends AllDirectives {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TroupeNode node;
  private final HttpSettings settings;
  private final JobSettings jobSettings;

  /** Jobs this node admitted that the cluster's job list does not show yet, with when. */
  private final Map<String, Long> admitted = new HashMap<>();

  private static final long ADMIT_TTL = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

  /**
   * Creates the routes.
   *
   * @param node the node serving them
   * @param settings body limit, timeouts and the running-jobs limit
   */
  public JobRoutes(TroupeNode node, HttpSettings settings) {
    this.node = node;
    this.settings = settings;
    this.jobSettings = JobSettings.create(node.system());
  }

  /** Returns the routes under {@code /api/jobs}. */
  public Route routes() {
    return pathPrefix(
        "api",
        () ->
            pathPrefix(
                "jobs",
                () ->
                    concat(
                        pathEndOrSingleSlash(() -> concat(post(this::submit), get(this::list))),
                        path(
                            PathMatchers.segment(),
                            id -> concat(get(() -> status(id)), delete(() -> cancel(id)))))));
  }

  /** Starts a job; {@link RequestGuard} has checked the token and the content type. */
  private Route submit() {
    return withSizeLimit(
        settings.maxRequestBytes(), () -> entity(Unmarshaller.entityToString(), this::start));
  }

  private Route start(String body) {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return error(StatusCodes.BAD_REQUEST, "the body is not JSON: " + e.getOriginalMessage());
    }
    if (request == null || !request.isObject()) {
      return error(StatusCodes.BAD_REQUEST, "expected a JSON object {\"pipeline\", \"args\"}");
    }
    JsonNode pipeline = request.get("pipeline");
    if (pipeline == null || !pipeline.isTextual() || pipeline.asText().isBlank()) {
      return error(StatusCodes.BAD_REQUEST, "\"pipeline\" must be a pipeline's name");
    }
    List<String> args = new ArrayList<>();
    JsonNode rawArgs = request.get("args");
    if (rawArgs != null && !rawArgs.isNull()) {
      if (!rawArgs.isArray()) {
        return error(StatusCodes.BAD_REQUEST, "\"args\" must be an array of strings");
      }
      for (JsonNode arg : rawArgs) {
        if (!arg.isTextual()) {
          return error(StatusCodes.BAD_REQUEST, "\"args\" must be an array of strings");
        }
        args.add(arg.asText());
      }
    }
    String name = pipeline.asText();
    if (!jobSettings.pipelines().isEnabled(name)) {
      return error(
          StatusCodes.FORBIDDEN,
          "pipeline " + name + " is not enabled on this node (troupe.pipelines.enabled)");
    }
    // A pipeline this node lacks may be on others (plug-ins differ per node): then the job's
    // coordinator, placed on a node that has it, checks the options, and this answer waits a
    // moment for its verdict.
    boolean local = node.pipelines().find(name).isPresent();
    try {
      if (local) {
        jobSettings.checkPlanSize(jobSettings.parse(node.pipelines().get(name), args));
      } else if (!PipelineRoutes.clusterHas(node, name)) {
        node.pipelines().get(name); // throws, naming what this node has
      }
    } catch (PipelineUsageException e) {
      return error(
          StatusCodes.BAD_REQUEST,
          local ? e.getMessage() : e.getMessage() + " (no node of this cluster has it)");
    }
    CompletionStage<List<JobIndex.Entry>> jobs =
        AskPattern.ask(
            node.jobIndex(), JobIndex.List::new, settings.askTimeout(), node.system().scheduler());
    return onComplete(
        jobs,
        listed -> {
          String job = JobIds.next(name);
          long running = admit(job, listed.isSuccess() ? listed.get() : List.of());
          if (running >= settings.maxRunningJobs()) {
            return respondWithHeader(
                RawHeader.create("Retry-After", "5"),
                () ->
                    error(
                        StatusCodes.TOO_MANY_REQUESTS,
                        running
                            + " jobs are running on this cluster, as many as"
                            + " troupe.http.max-running-jobs allows; retry when one finished"));
          }
          // The coordinator answers once the job's items are planned and recorded; progress, and
          // any failure to plan, show in GET /api/jobs/{id} meanwhile.
          java.util.concurrent.CompletableFuture<JobStatus> started =
              node.jobs().start(new JobSpec(job, name, args)).toCompletableFuture();
          started.whenComplete(
              (status, refused) -> {
                // A job its coordinator refused never runs: free its place at once. (One that
                // only took longer to plan than the ask stays counted until it is listed.)
                Throwable cause =
                    refused instanceof java.util.concurrent.CompletionException
                        ? refused.getCause()
                        : refused;
                if (cause != null && !(cause instanceof java.util.concurrent.TimeoutException)) {
                  synchronized (admitted) {
                    admitted.remove(job);
                  }
                }
              });
          ObjectNode accepted = JsonNodeFactory.instance.objectNode().put("job", job);
          if (local) {
            return json(StatusCodes.ACCEPTED, accepted);
          }
          CompletionStage<Optional<String>> refusal =
              started
                  .handle((status, refused) -> refusal(refused))
                  .completeOnTimeout(
                      Optional.empty(),
                      settings.askTimeout().toMillis(),
                      java.util.concurrent.TimeUnit.MILLISECONDS);
          return onSuccess(
              refusal,
              reason ->
                  reason.isPresent()
                      ? error(StatusCodes.BAD_REQUEST, reason.get())
                      : json(StatusCodes.ACCEPTED, accepted));
        });
  }

  /** Returns why a coordinator refused to start a job, or empty if it did not (yet). */
  private static Optional<String> refusal(Throwable refused) {
    Throwable cause =
        refused instanceof java.util.concurrent.CompletionException ? refused.getCause() : refused;
    if (cause == null || cause instanceof java.util.concurrent.TimeoutException) {
      return Optional.empty();
    }
    return Optional.of(String.valueOf(cause.getMessage()));
  }

  /**
   * Counts the jobs running on the cluster and, if fewer than the limit, admits {@code job}. The
   * cluster's job list learns of a new job only once its coordinator has started it, so jobs this
   * node admitted and the list does not show yet count too; admitting is atomic per node, so a
   * burst of requests to one node cannot slip past the limit together. (Bursts to several nodes at
   * once still can, by up to what each admits before the list catches up.)
   *
   * @return the jobs running before this one; the job was admitted if that is below the limit
   */
  private long admit(String job, List<JobIndex.Entry> listed) {
    synchronized (admitted) {
      long now = System.nanoTime();
      Set<String> running = new HashSet<>();
      Set<String> over = new HashSet<>();
      for (JobIndex.Entry e : listed) {
        if (e.state().equals(JobStatus.RUNNING) || e.state().equals(JobStatus.STARTING)) {
          running.add(e.job());
        } else {
          over.add(e.job());
        }
      }
      // Forget an admitted job once it is over, or after a minute (listed as running by then, or
      // it never started). Counted by id, a job listed and admitted is one job, and a list older
      // than another request's cannot make a running job uncounted.
      admitted
          .entrySet()
          .removeIf(a -> over.contains(a.getKey()) || now - a.getValue() > ADMIT_TTL);
      running.addAll(admitted.keySet());
      if (running.size() < settings.maxRunningJobs()) {
        admitted.put(job, now);
      }
      return running.size();
    }
  }

  private Route status(String id) {
    if (!JobIds.isValid(id)) {
      return error(StatusCodes.NOT_FOUND, "no job " + id);
    }
    // The API's own timeout, not the client's minutes: a coordinator that cannot be reached now
    // (its shard moving, its node not yet downed) gets a 503 the caller can retry.
    CompletionStage<JobStatus> status = node.jobs().status(id, settings.askTimeout());
    return onComplete(
        status,
        done -> {
          if (done.isFailure()) {
            return error(
                StatusCodes.SERVICE_UNAVAILABLE,
                "the job's coordinator did not answer: " + done.failed().get().getMessage());
          }
          JobStatus s = done.get();
          if (JobStatus.UNKNOWN.equals(s.state())) {
            return error(StatusCodes.NOT_FOUND, "no job " + id);
          }
          return json(StatusCodes.OK, JobStatusJson.of(s));
        });
  }

  /**
   * Cancels a job: 200 with its status once the cancel is recorded; 409 if the job was over already
   * (the body names how it ended); 404 if there is no such job; 503 if its coordinator did not
   * confirm in time or could not record it. {@link RequestGuard} has checked the token.
   */
  private Route cancel(String id) {
    if (!JobIds.isValid(id)) {
      return error(StatusCodes.NOT_FOUND, "no job " + id);
    }
    CompletionStage<JobStatus> canceled = node.jobs().cancel(id, settings.askTimeout());
    return onComplete(
        canceled,
        done -> {
          if (done.isFailure()) {
            Throwable cause = done.failed().get();
            String message = String.valueOf(cause.getMessage());
            if (message.startsWith("there is no job ")) {
              return error(StatusCodes.NOT_FOUND, "no job " + id);
            }
            return error(
                StatusCodes.SERVICE_UNAVAILABLE,
                cause instanceof java.util.concurrent.TimeoutException
                    ? "the job's coordinator did not confirm the cancel in time; GET the job to"
                        + " see whether it is canceled, or send the cancel again"
                    : "the job could not be canceled: " + message);
          }
          JobStatus s = done.get();
          if (!JobStatus.CANCELED.equals(s.state())) {
            return error(
                StatusCodes.CONFLICT,
                "job " + id + " is over already (" + s.state() + "); there is nothing to cancel");
          }
          return json(StatusCodes.OK, JobStatusJson.of(s));
        });
  }

  private Route list() {
    CompletionStage<List<JobIndex.Entry>> entries =
        AskPattern.ask(
            node.jobIndex(), JobIndex.List::new, settings.askTimeout(), node.system().scheduler());
    return onSuccess(
        entries,
        list -> {
          ArrayNode jobs = JsonNodeFactory.instance.arrayNode();
          list.forEach(e -> jobs.add(JSON.valueToTree(e)));
          return json(StatusCodes.OK, JsonNodeFactory.instance.objectNode().set("jobs", jobs));
        });
  }

  static Route json(StatusCode status, JsonNode body) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(body);
      return new AllDirectives() {}.complete(
          HttpResponse.create()
              .withStatus(status)
              .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  static Route error(StatusCode status, String message) {
    // One line, whatever the request smuggled into it (a pipeline name or option with newlines).
    String oneLine = message.replaceAll("\\p{Cntrl}", " ");
    return json(status, JsonNodeFactory.instance.objectNode().put("error", oneLine));
  }
}
