package io.troupe.cluster.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.cluster.Member;

/**
 * The cluster roles that say which pipelines a node has: a node that loaded pipeline {@code P}
 * joins with the role {@code pipeline:P}, so every member sees what every other one can run (in
 * {@code /cluster/members} too). Job coordinators and keyed state of {@code P} are placed only on
 * such nodes, and {@code GET /api/pipelines} reads them to tell which nodes lack which pipeline.
 */
public final class PipelineRoles {

  /** The prefix of a pipeline's role. */
  public static final String PREFIX = "pipeline:";

  private PipelineRoles() {}

  /**
   * Returns the role of nodes that have a pipeline.
   *
   * @param pipeline the pipeline's name
   * @return the role
   */
  public static String of(String pipeline) {
    return PREFIX + pipeline;
  }

  /**
   * Returns the roles of a node with these pipelines.
   *
   * @param pipelines the node's pipelines
   * @return one role per pipeline
   */
  public static List<String> of(Pipelines pipelines) {
    List<String> roles = new ArrayList<>();
    for (String name : pipelines.names()) {
      roles.add(of(name));
    }
    return roles;
  }

  /**
   * Returns the pipelines a member has, by its roles.
   *
   * @param member a cluster member
   * @return the names, sorted
   */
  public static Set<String> pipelinesOf(Member member) {
    Set<String> names = new TreeSet<>();
    for (String role : member.getRoles()) {
      if (role.startsWith(PREFIX)) {
        names.add(role.substring(PREFIX.length()));
      }
    }
    return names;
  }
}
