package io.troupe.cluster.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.cluster.TroupeNode;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Binds a node's HTTP endpoint: Troupe's job API, {@code /api/cluster}, {@code /metrics} and the
 * dashboard at {@code /}, next to pekko-management's routes ({@code /ready}, {@code /alive}, {@code
 * /startup}, {@code /cluster/members}), on the management host and port; over HTTPS when {@code
 * troupe.http.tls.enabled} is on ({@link HttpTls}).
 */
public final class NodeHttp {

  private NodeHttp() {}

  /**
   * Starts serving.
   *
   * @param node the node
   * @return the binding; fails if the port is taken or the host cannot be bound
   * @throws java.io.UncheckedIOException if a token must be generated and cannot be kept
   * @throws IllegalArgumentException if HTTPS is on ({@code troupe.http.tls}) and its key store
   *     cannot be used
   */
  public static CompletionStage<ServerBinding> start(TroupeNode node) {
    HttpSettings configured = HttpSettings.create(node.system().settings().config());
    HttpToken.Resolved token = HttpToken.resolve(configured, configured.tokenFile());
    if (token.generated()) {
      node.system()
          .log()
          .info(
              "The HTTP endpoint listens on {} without a configured token: generated one and wrote"
                  + " it to {} (owner-only); send it as Authorization: Bearer (troupe submit"
                  + " --token, or TROUPE_HTTP_TOKEN)",
              configured.hostname(),
              token.file().toAbsolutePath());
    } else if (token.file() != null) {
      node.system()
          .log()
          .info("The HTTP endpoint's token is the one kept in {}", token.file().toAbsolutePath());
    }
    HttpSettings settings = configured.withToken(token.token());
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
            new DashboardRoutes().routes(),
            management);
    // Sealed here so the default rejections and exceptions (413 for an oversize body, 405, ...)
    // come out as the API's one-line JSON errors like every other refusal.
    Route sealed = all.seal();
    Route answered = new AllDirectives() {}.mapResponse(NodeHttp::errorsAsJson, () -> sealed);
    return HttpTls.create(node.system().settings().config())
        .applyTo(Http.get(node.system()).newServerAt(settings.hostname(), settings.port()))
        .bind(answered);
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
