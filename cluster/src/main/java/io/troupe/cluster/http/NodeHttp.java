package io.troupe.cluster.http;

import io.troupe.cluster.TroupeNode;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Binds a node's HTTP endpoint: Troupe's job API, {@code /api/cluster}, {@code /metrics} and the
 * dashboard at {@code /}, next to pekko-management's routes ({@code /ready}, {@code /alive}, {@code
 * /startup}, {@code /cluster/members}), on the management host and port.
 */
public final class NodeHttp {

  private NodeHttp() {}

  /**
   * Starts serving.
   *
   * @param node the node
   * @return the binding; fails if the port is taken or the host cannot be bound
   * @throws IllegalStateException if the endpoint would bind a non-loopback address without a token
   */
  public static CompletionStage<ServerBinding> start(TroupeNode node) {
    HttpSettings settings = HttpSettings.create(node.system().settings().config());
    if (!settings.loopback() && settings.token().isEmpty()) {
      throw new IllegalStateException(
          "the node's HTTP endpoint would listen on "
              + settings.hostname()
              + " without a token; set troupe.http.token (or TROUPE_HTTP_TOKEN), or bind"
              + " pekko.management.http.hostname to 127.0.0.1");
    }
    Route management = PekkoManagement.get(Adapter.toClassic(node.system())).getRoutes();
    Route all =
        new AllDirectives() {}.concat(
            new JobRoutes(node, settings).routes(),
            new MetricsRoutes(node.system()).routes(),
            new ClusterRoutes(node, settings.askTimeout()).routes(),
            new DashboardRoutes().routes(),
            management);
    return Http.get(node.system()).newServerAt(settings.hostname(), settings.port()).bind(all);
  }
}
