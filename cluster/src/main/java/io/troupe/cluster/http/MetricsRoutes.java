package io.troupe.cluster.http;

import io.troupe.cluster.metrics.TroupeMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics}: the node's meters in Prometheus text format (version 0.0.4); 404 with a
 * JSON error when {@code troupe.metrics.enabled} is off.
 */
public final class MetricsRoutes extends AllDirectives {

  /** Prometheus' text exposition format. */
  static final ContentType PROMETHEUS_TEXT =
      MediaTypes.customWithOpenCharset("text", "plain", Map.of("version", "0.0.4"), true)
          .toContentType(HttpCharsets.UTF_8);

  private final TroupeMetrics metrics;

  /**
   * Creates the route.
   *
   * @param system the node's actor system
   */
  public MetricsRoutes(ActorSystem<?> system) {
    this.metrics = TroupeMetrics.get(system);
  }

  /** Returns the route. */
  public Route routes() {
    return path(
        "metrics",
        () ->
            get(
                () -> {
                  if (!metrics.enabled()) {
                    return JobRoutes.error(
                        StatusCodes.NOT_FOUND,
                        "metrics are off on this node (troupe.metrics.enabled = off)");
                  }
                  byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                  return complete(
                      HttpResponse.create()
                          .withStatus(StatusCodes.OK)
                          .withEntity(HttpEntities.create(PROMETHEUS_TEXT, text)));
                }));
  }

  /**
   * Serves {@code GET /metrics} alone, for {@code troupe run --metrics-port}: no token (it binds
   * loopback for the length of a run), but a {@code Host} or {@code Origin} that is not this
   * endpoint's is refused as on a node ({@link RequestGuard}), so no web page can read it.
   *
   * @param system the embedded node's actor system
   * @param host the address to bind
   * @param port the port to bind
   * @return the binding; fails if the port is taken
   */
  public static CompletionStage<ServerBinding> serve(ActorSystem<?> system, String host, int port) {
    Route guarded = RequestGuard.withoutToken(host).protect(new MetricsRoutes(system).routes());
    return Http.get(system).newServerAt(host, port).bind(guarded);
  }
}
