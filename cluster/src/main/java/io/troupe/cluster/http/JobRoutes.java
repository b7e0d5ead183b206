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
import io.troupe.cluster.internal.JobSettings;
import io.troupe.cluster.internal.JobStatusJson;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.registry.JobRegistry;
import io.troupe.sdk.PipelineUsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * Troupe's job API: {@code POST /api/jobs} {@code {"pipeline", "args", "priority"}} starts a job
 * and answers 202 {@code {"job"}}; {@code GET /api/jobs/{id}} its status, progress, result and
 * report; {@code GET /api/jobs} the job registry, filtered and paged ({@link JobListQuery}); {@code
 * DELETE /api/jobs/{id}} cancels a job. Admission to {@code troupe.http.max-running-jobs} happens
 * in the registry, in one step for the whole cluster. Every error is JSON {@code {"error": "..."}}
 * with a 4xx status, and bad input never reaches a coordinator.
 */
final class JobRoutes extends AllDirectives {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TroupeNode node;
  private final HttpSettings settings;
  private final JobSettings jobSettings;

  private final CancelRoute cancels;
  private final int pageSize;
  private final int maxPageSize;

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
    this.cancels = new CancelRoute(node, settings);
    this.pageSize = node.system().settings().config().getInt("troupe.registry.page-size");
    this.maxPageSize = node.system().settings().config().getInt("troupe.registry.max-page-size");
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
                        pathEndOrSingleSlash(
                            () -> concat(post(this::submit), get(() -> parameterMap(this::list)))),
                        path(
                            PathMatchers.segment(),
                            id ->
                                concat(get(() -> status(id)), delete(() -> cancels.cancel(id)))))));
  }

  /** Starts a job; {@link RequestGuard} has checked the token and the content type. */
  private Route submit() {
    return withSizeLimit(
        settings.maxRequestBytes(),
        () ->
            extractRequest(
                request ->
                    entity(
                        Unmarshaller.entityToString(), body -> start(body, submitter(request)))));
  }

  /** Returns who sent a request, as the registry records it: the client's address. */
  private static String submitter(org.apache.pekko.http.javadsl.model.HttpRequest request) {
    return request
        .getAttribute(org.apache.pekko.http.javadsl.model.AttributeKeys.remoteAddress)
        .flatMap(org.apache.pekko.http.javadsl.model.RemoteAddress::getAddress)
        .map(java.net.InetAddress::getHostAddress)
        .orElse("unknown");
  }

  private Route start(String body, String submittedBy) {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return error(StatusCodes.BAD_REQUEST, "the body is not JSON: " + e.getOriginalMessage());
    }
    if (request == null || !request.isObject()) {
      return error(
          StatusCodes.BAD_REQUEST, "expected a JSON object {\"pipeline\", \"args\", \"priority\"}");
    }
    int priority = JobSpec.DEFAULT_PRIORITY;
    JsonNode rawPriority = request.get("priority");
    if (rawPriority != null && !rawPriority.isNull()) {
      if (!rawPriority.canConvertToExactIntegral()
          || !rawPriority.canConvertToInt()
          || rawPriority.asInt() < JobSpec.MIN_PRIORITY
          || rawPriority.asInt() > JobSpec.MAX_PRIORITY) {
        return error(
            StatusCodes.BAD_REQUEST,
            "\"priority\" must be a whole number from "
                + JobSpec.MIN_PRIORITY
                + " to "
                + JobSpec.MAX_PRIORITY);
      }
      priority = rawPriority.asInt();
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
    String job = JobIds.next(name);
    JobSpec spec = new JobSpec(job, name, args, System.currentTimeMillis(), priority);
    JobRegistry.Job row =
        new JobRegistry.Job(
            job,
            name,
            spec.args(),
            submittedBy,
            JobStatus.STARTING,
            priority,
            spec.submittedAt(),
            0,
            0,
            0,
            0,
            0,
            0,
            null,
            spec.submittedAt());
    int limit = settings.maxRunningJobs();
    CompletionStage<Long> admitted =
        CompletableFuture.supplyAsync(() -> node.registry().admit(row, limit), node.blocking());
    return onComplete(
        admitted,
        tried -> {
          if (tried.isFailure()) {
            return error(
                StatusCodes.SERVICE_UNAVAILABLE,
                "the job registry could not admit the job: " + why(tried.failed().get()));
          }
          long running = tried.get();
          if (running >= limit) {
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
          CompletableFuture<JobStatus> started = node.jobs().start(spec).toCompletableFuture();
          started.whenComplete(
              (status, refused) -> refusal(refused).ifPresent(why -> recordRefused(row, why)));
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

  /**
   * A job its coordinator refused never runs: the registry records it as failed, with the reason,
   * so it frees its place in admission at once. (One that only took longer to plan than the ask
   * stays starting until its coordinator records it.)
   */
  private void recordRefused(JobRegistry.Job row, String why) {
    JobRegistry.Job failed =
        new JobRegistry.Job(
            row.job(),
            row.pipeline(),
            row.args(),
            row.submittedBy(),
            JobStatus.FAILED,
            row.priority(),
            row.submittedAt(),
            0,
            System.currentTimeMillis(),
            0,
            0,
            0,
            0,
            why,
            System.currentTimeMillis());
    CompletableFuture.runAsync(() -> node.registry().record(List.of(failed)), node.blocking())
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                node.system()
                    .log()
                    .warn(
                        "Cannot record refused job [{}] in the job registry: {}",
                        row.job(),
                        why(e));
              }
            });
  }

  /** Returns a failed future's reason in one line. */
  private static String why(Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
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

  private Route list(Map<String, String> params) {
    JobRegistry.Query query;
    try {
      query =
          JobListQuery.parse(
              params,
              java.time.Instant.now(),
              java.time.ZoneId.systemDefault(),
              pageSize,
              maxPageSize);
    } catch (IllegalArgumentException e) {
      return error(StatusCodes.BAD_REQUEST, e.getMessage());
    }
    CompletionStage<JobRegistry.Page> page =
        CompletableFuture.supplyAsync(() -> node.registry().list(query), node.blocking());
    return onComplete(
        page,
        listed -> {
          if (listed.isFailure()) {
            return error(
                StatusCodes.SERVICE_UNAVAILABLE,
                "the job registry could not list jobs: " + why(listed.failed().get()));
          }
          ArrayNode jobs = JsonNodeFactory.instance.arrayNode();
          listed.get().jobs().forEach(j -> jobs.add(registryJson(j)));
          ObjectNode body = JsonNodeFactory.instance.objectNode();
          body.set("jobs", jobs);
          body.put("total", listed.get().total());
          body.put("offset", query.offset());
          body.put("limit", query.limit());
          return json(StatusCodes.OK, body);
        });
  }

  /** Returns a registry row as the API shows it; times are epoch milliseconds, 0 when not yet. */
  static ObjectNode registryJson(JobRegistry.Job j) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("job", j.job());
    o.put("pipeline", j.pipeline());
    j.args().forEach(o.putArray("args")::add);
    o.put("submittedBy", j.submittedBy());
    o.put("state", j.state());
    o.put("priority", j.priority());
    o.put("submittedAt", j.submittedAt());
    o.put("startedAt", j.startedAt());
    o.put("finishedAt", j.finishedAt());
    o.put("items", j.items());
    o.put("completed", j.completed());
    o.put("quarantined", j.quarantined());
    o.put("failedAttempts", j.failedAttempts());
    o.put("summary", j.summary());
    return o;
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
