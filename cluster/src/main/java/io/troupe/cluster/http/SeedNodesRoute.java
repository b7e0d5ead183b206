package io.troupe.cluster.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /bootstrap/seed-nodes}: what Cluster Bootstrap asks of a contact point ({@code
 * io.troupe.cluster.bootstrap}). Answers {@code {"self": "pekko://troupe@host:port", "seedNodes":
 * [...]}}: the Up members of this node's cluster, oldest first, at most {@value #MAX_SEEDS}; empty
 * while this node is not a member of a cluster with Up members.
 *
 * <p>It needs no token even where reads do ({@link RequestGuard}): it tells only the addresses of
 * cluster members, which a node that may ask could not join without anyway, and bootstrapping nodes
 * hold no token of their peers.
 */
final class SeedNodesRoute extends AllDirectives {

  /** The most seed nodes an answer lists. */
  static final int MAX_SEEDS = 5;

  private final ActorSystem<?> system;

  /**
   * Creates the route.
   *
   * @param system the node's actor system
   */
  SeedNodesRoute(ActorSystem<?> system) {
    this.system = system;
  }

  /** Returns the route. */
  Route routes() {
    return pathPrefix(
        "bootstrap",
        () ->
            path(
                "seed-nodes",
                () -> get(() -> extractRequest(r -> JobRoutes.json(StatusCodes.OK, answer())))));
  }

  /** Returns the answer as this node sees its cluster now. */
  ObjectNode answer() {
    Cluster cluster = Cluster.get(system);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("self", cluster.selfMember().address().toString());
    ArrayNode seeds = body.putArray("seedNodes");
    if (cluster.selfMember().status() == MemberStatus.removed()) {
      return body;
    }
    List<Member> up = new ArrayList<>();
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == MemberStatus.up()) {
        up.add(m);
      }
    }
    up.sort((a, b) -> a.isOlderThan(b) ? -1 : b.isOlderThan(a) ? 1 : 0);
    up.stream().limit(MAX_SEEDS).forEach(m -> seeds.add(m.address().toString()));
    return body;
  }
}
