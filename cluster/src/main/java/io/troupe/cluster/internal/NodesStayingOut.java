package io.troupe.cluster.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * The nodes that stay out of one job, and why (internal API): those that lack its pipeline, seen in
 * the members' pipeline roles, and those whose agent said it cannot work on the job.
 *
 * <p>Implementation notes: plain bookkeeping owned by the job's coordinator and touched only from
 * its message handlers. A node stays listed for the rest of the job: the list says who did not work
 * on it, not who could now.
 */
final class NodesStayingOut {

  private final Map<String, String> reasons = new TreeMap<>();

  /**
   * Notes that a node cannot work on the job.
   *
   * @param node the node as host:port
   * @param reason why, in one line; replaces an earlier reason
   * @return true if the node was not listed before
   */
  boolean note(String node, String reason) {
    return reasons.put(node, reason) == null;
  }

  /**
   * Notes a member that lacks the job's pipeline, unless it is listed already.
   *
   * @param node the node as host:port
   * @param pipeline the job's pipeline
   * @return true if the node was not listed before
   */
  boolean noteLacking(String node, String pipeline) {
    return !reasons.containsKey(node)
        && note(
            node,
            "the node does not have pipeline '"
                + pipeline
                + "' (its plug-in is not on the node's classpath)");
  }

  /** Returns the nodes as {@code [{node, reason}]}, by node, or null if there are none. */
  ArrayNode toJson() {
    if (reasons.isEmpty()) {
      return null;
    }
    ArrayNode nodes = JsonNodeFactory.instance.arrayNode();
    reasons.forEach((node, reason) -> nodes.addObject().put("node", node).put("reason", reason));
    return nodes;
  }
}
