package io.troupe.cluster.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.cluster.TroupeNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.Patterns;
import scala.concurrent.duration.FiniteDuration;

/**
 * {@code GET /api/cluster}: this node, the members as it sees them, and the shards and entities
 * each node hosts per entity type — what the dashboard shows.
 *
 * <p>Answer: {@code {self, members: [{address, status, roles, reachable}], shards: [{type, nodes:
 * [{address, shards, entities}], error?}]}}. The shard figures are asked of the sharding
 * coordinator of each type with the API's ask timeout; a type that does not answer in time is
 * listed with an {@code error} instead of failing the whole answer.
 */
final class ClusterRoutes extends AllDirectives {

  private final TroupeNode node;
  private final Duration timeout;

  /**
   * Creates the route.
   *
   * @param node the node serving it
   * @param timeout how long to wait for sharding's figures
   */
  public ClusterRoutes(TroupeNode node, Duration timeout) {
    this.node = node;
    this.timeout = timeout;
  }

  /** Returns the route. */
  public Route routes() {
    return pathPrefix(
        "api",
        () ->
            path(
                "cluster",
                () ->
                    get(
                        () ->
                            onSuccess(describe(), body -> JobRoutes.json(StatusCodes.OK, body)))));
  }

  private CompletionStage<ObjectNode> describe() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("self", node.address());
    Cluster cluster = Cluster.get(node.system());
    ArrayNode members = body.putArray("members");
    var unreachable = cluster.state().getUnreachable();
    for (Member m : cluster.state().getMembers()) {
      ObjectNode member = members.addObject();
      member.put("address", hostPort(m.address()));
      member.put("status", m.status().toString());
      ArrayNode roles = member.putArray("roles");
      m.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().forEach(roles::add);
      member.put("reachable", !unreachable.contains(m));
    }
    ClusterSharding sharding = ClusterSharding.get(Adapter.toClassic(node.system()));
    List<String> types = new ArrayList<>(sharding.getShardTypeNames());
    types.sort(String::compareTo);
    FiniteDuration askTimeout = FiniteDuration.fromNanos(timeout.toNanos());
    List<CompletableFuture<ObjectNode>> perType = new ArrayList<>();
    for (String type : types) {
      perType.add(
          Patterns.ask(
                  sharding.shardRegion(type),
                  new ShardRegion.GetClusterShardingStats(askTimeout),
                  timeout.plusSeconds(1))
              .toCompletableFuture()
              .handle((answer, failure) -> typeStats(type, answer, failure)));
    }
    return CompletableFuture.allOf(perType.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              ArrayNode shards = body.putArray("shards");
              perType.forEach(f -> shards.add(f.join()));
              return body;
            });
  }

  private static ObjectNode typeStats(String type, Object answer, Throwable failure) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("type", type);
    ArrayNode nodes = json.putArray("nodes");
    if (!(answer instanceof ShardRegion.ClusterShardingStats stats)) {
      json.put(
          "error",
          failure == null
              ? "unexpected answer " + answer
              : "no answer from sharding: " + failure.getMessage());
      return json;
    }
    Map<String, int[]> byNode = new TreeMap<>();
    stats
        .getRegions()
        .forEach(
            (address, region) -> {
              int[] figures = byNode.computeIfAbsent(hostPort(address), a -> new int[2]);
              for (Object entities : region.getStats().values()) {
                figures[0]++;
                figures[1] += ((Number) entities).intValue();
              }
            });
    byNode.forEach(
        (address, figures) ->
            nodes
                .addObject()
                .put("address", address)
                .put("shards", figures[0])
                .put("entities", figures[1]));
    return json;
  }

  private static String hostPort(Address address) {
    return address.getHost().orElse("?") + ":" + address.getPort().orElse(0);
  }
}
