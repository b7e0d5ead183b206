package io.troupe.cluster.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.PipelineRoles;
import io.troupe.sdk.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/pipelines}: what the cluster can run, and which nodes lack which pipeline, from
 * the members' pipeline roles ({@link PipelineRoles}) as this node sees them.
 *
 * <p>Answer: {@code {self, nodes: [{address, status, pipelines}], pipelines: [{name, description,
 * nodes, missingOn}]}}, pipelines sorted by name; {@code description} is known for the pipelines
 * this node has, else null. Only members that are up (or joining) count.
 */
final class PipelineRoutes extends AllDirectives {

  private final TroupeNode node;

  /**
   * Creates the route.
   *
   * @param node the node serving it
   */
  public PipelineRoutes(TroupeNode node) {
    this.node = node;
  }

  /** Returns the route. */
  public Route routes() {
    return pathPrefix(
        "api",
        () -> path("pipelines", () -> get(() -> JobRoutes.json(StatusCodes.OK, describe(node)))));
  }

  /**
   * Returns whether some member that is up has a pipeline.
   *
   * @param node the node asking
   * @param pipeline the pipeline's name
   * @return true if a member has the pipeline's role
   */
  static boolean clusterHas(TroupeNode node, String pipeline) {
    String role = PipelineRoles.of(pipeline);
    for (Member m : Cluster.get(node.system()).state().getMembers()) {
      if (m.hasRole(role)
          && (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Describes the pipelines of the cluster as a node sees it.
   *
   * @param node the node
   * @return the answer of {@code GET /api/pipelines}
   */
  static ObjectNode describe(TroupeNode node) {
    Cluster cluster = Cluster.get(node.system());
    Map<String, Set<String>> nodesByPipeline = new TreeMap<>();
    List<String> nodes = new ArrayList<>();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("self", node.address());
    ArrayNode members = body.putArray("nodes");
    for (Member m : cluster.state().getMembers()) {
      if (m.status() != MemberStatus.up()
          && m.status() != MemberStatus.weaklyUp()
          && m.status() != MemberStatus.joining()) {
        continue;
      }
      String address = TroupeNode.hostPort(m.address());
      nodes.add(address);
      Set<String> pipelines = PipelineRoles.pipelinesOf(m);
      ObjectNode member = members.addObject();
      member.put("address", address);
      member.put("status", m.status().toString());
      pipelines.forEach(member.putArray("pipelines")::add);
      for (String p : pipelines) {
        nodesByPipeline.computeIfAbsent(p, k -> new TreeSet<>()).add(address);
      }
    }
    ArrayNode pipelines = body.putArray("pipelines");
    nodesByPipeline.forEach(
        (name, having) -> {
          ObjectNode p = pipelines.addObject();
          p.put("name", name);
          Pipeline<?, ?, ?> local = node.pipelines().find(name).orElse(null);
          if (local == null) {
            p.putNull("description");
          } else {
            p.put("description", local.description());
          }
          having.forEach(p.putArray("nodes")::add);
          ArrayNode missing = p.putArray("missingOn");
          nodes.stream().filter(n -> !having.contains(n)).sorted().forEach(missing::add);
        });
    return body;
  }
}
