package io.troupe.cluster.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.cluster.TroupeNode;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Binds a node's HTTP endpoint: Troupe's job API, {@code /api/cluster}, {@code /metrics}, Cluster
 * Bootstrap's {@code /bootstrap/seed-nodes} and the dashboard at {@code /}, next to
 * pekko-management's routes ({@code /ready}, {@code /alive}, {@code /startup}, {@code
 * /cluster/members}), on the management host and port; over HTTPS when {@code
 * troupe.http.tls.enabled} is on ({@link HttpTls}). Every request passes the {@link RequestGuard}
 * first (known {@code Host}, own {@code Origin}, JSON bodies, the bearer token), and every answer
 * carries the {@link #SECURITY_HEADERS}.
 */
public final class NodeHttp {

  private NodeHttp() {}

  /**
   * Starts serving.
   *
   * @param node the node
   * @return the binding; fails if the port is taken or the host cannot be bound
   * @throws IllegalStateException with one line naming the fix if the token file cannot be created,
   *     or is not safe to use (a link, someone else's, open to group or others)
   * @throws com.typesafe.config.ConfigException if a {@code troupe.http} setting is bad
   * @throws IllegalArgumentException if HTTPS is on ({@code troupe.http.tls}) and its key store
   *     cannot be used
   */
  public static CompletionStage<ServerBinding> start(TroupeNode node) {
    HttpSettings configured = HttpSettings.create(node.system().settings().config());
    HttpToken.Resolved token = HttpToken.resolve(configured.token(), configured.tokenFile());
    logToken(node, token);
    HttpSettings settings = configured.withToken(token.token());
    boolean readsNeedToken = settings.readsNeedToken();
    node.system()
        .log()
        .info(
            "The HTTP endpoint on {} needs the token for {} (troupe.http.authenticate-reads = {})",
            settings.hostname(),
            readsNeedToken
                ? "every route but /ready, /alive, /bootstrap/seed-nodes and the dashboard's page"
                : "mutating routes only",
            settings.authenticateReads().name().toLowerCase(java.util.Locale.ROOT));
    // Other nodes and operators often know a node by its cluster host name: requests may use it.
    String clusterHost =
        node.system().settings().config().getString("pekko.remote.artery.canonical.hostname");
    RequestGuard guard = RequestGuard.of(settings, List.of(clusterHost));
    Route management =
        new AllDirectives() {}.mapResponse(
            NodeHttp::unhealthyAsUnavailable,
            () -> PekkoManagement.get(Adapter.toClassic(node.system())).getRoutes());
    Route all =
        new AllDirectives() {}.concat(
            new JobRoutes(node, settings).routes(),
            new MetricsRoutes(node.system()).routes(),
            new ClusterRoutes(node, settings.askTimeout()).routes(),
            new PipelineRoutes(node).routes(),
            new SeedNodesRoute(node.system()).routes(),
            new DashboardRoutes().routes(),
            management);
    // Sealed here so the default rejections and exceptions (413 for an oversize body, 405, ...)
    // come out as the API's one-line JSON errors like every other refusal.
    Route sealed = all.seal();
    Route guarded = guard.protect(sealed);
    Route answered =
        new AllDirectives() {}.mapResponse(
            response -> withSecurityHeaders(errorsAsJson(response)), () -> guarded);
    return HttpTls.create(node.system().settings().config())
        .applyTo(
            Http.get(node.system())
                .newServerAt(settings.hostname(), settings.port())
                // The job registry records the client's address as who submitted a job.
                .withSettings(
                    org.apache.pekko.http.javadsl.settings.ServerSettings.create(
                            node.system().classicSystem())
                        .withRemoteAddressAttribute(true)))
        .bind(answered);
  }

  private static void logToken(TroupeNode node, HttpToken.Resolved token) {
    switch (token.source()) {
      case CONFIGURED ->
          node.system()
              .log()
              .info("The HTTP endpoint's bearer token is the configured one (troupe.http.token)");
      case GENERATED ->
          node.system()
              .log()
              .info(
                  "Generated the HTTP endpoint's bearer token into {} (owner-only); the troupe command"
                      + " run from the same directory reads it, others give it with"
                      + " TROUPE_HTTP_TOKEN or --token-file",
                  token.file());
      case FILE ->
          node.system()
              .log()
              .info("The HTTP endpoint's bearer token is the one kept in {}", token.file());
    }
  }

  /**
   * The headers every answer carries: the dashboard's page runs its own script and nothing else.
   */
  static final List<HttpHeader> SECURITY_HEADERS =
      List.of(
          RawHeader.create(
              "Content-Security-Policy",
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
                  + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none';"
                  + " frame-ancestors 'none'"),
          RawHeader.create("X-Frame-Options", "DENY"),
          RawHeader.create("X-Content-Type-Options", "nosniff"),
          RawHeader.create("Referrer-Policy", "no-referrer"));

  /** Adds {@link #SECURITY_HEADERS} to an answer. */
  static HttpResponse withSecurityHeaders(HttpResponse response) {
    return response.addHeaders(SECURITY_HEADERS);
  }

  /**
   * Answers a failed health check ({@code /ready}, {@code /alive}) with 503 Service Unavailable, as
   * load balancers and Kubernetes expect of a node that cannot take work now, instead of the 500
   * Internal Server Error pekko-management gives it; other answers pass.
   */
  static HttpResponse unhealthyAsUnavailable(HttpResponse response) {
    if (response.status().intValue() == 500
        && response.entity() instanceof HttpEntity.Strict strict
        && strict.getData().utf8String().startsWith("Not Healthy")) {
      return response.withStatus(StatusCodes.SERVICE_UNAVAILABLE);
    }
    return response;
  }

  /** Turns a plain-text error answer into {@code {"error": "..."}}; other answers pass. */
  static HttpResponse errorsAsJson(HttpResponse response) {
    if (response.status().intValue() < 400
        || !(response.entity() instanceof HttpEntity.Strict strict)
        || !strict.getContentType().mediaType().equals(MediaTypes.TEXT_PLAIN)) {
      return response;
    }
    String text = strict.getData().utf8String().strip().replaceAll("\\p{Cntrl}", " ");
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("error", text);
    return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }
}
