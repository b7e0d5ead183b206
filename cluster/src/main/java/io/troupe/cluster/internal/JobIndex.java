package io.troupe.cluster.internal;

import io.troupe.cluster.JobStatus;
import io.troupe.sdk.TroupeMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/**
 * The cluster's list of recent jobs, for {@code GET /api/jobs} and {@code troupe status}: a
 * replicated map (Pekko Distributed Data) from job id to a short summary, kept on every node.
 *
 * <p>Implementation notes: one instance per node. Coordinators record their job's state here as it
 * changes; updates are written locally and spread by gossip, so a listing on any node sees every
 * job within a few seconds. The map is capped at {@code troupe.http.recent-jobs} entries, oldest
 * submissions dropped first. It is a convenience index, not a record: it lives in memory and is
 * rebuilt as coordinators run; each job's ledger is the durable truth.
 */
public final class JobIndex {

  private JobIndex() {}

  /** Messages the index understands. */
  public sealed interface Command {}

  /**
   * Records a job's latest state; no reply.
   *
   * @param entry the job's summary
   */
  public record Record(Entry entry) implements Command {}

  /**
   * Asks for the recorded jobs; replies with them, most recently submitted first.
   *
   * @param replyTo where the answer goes
   */
  public record List(ActorRef<java.util.List<Entry>> replyTo) implements Command {}

  private record Updated(Replicator.UpdateResponse<LWWMap<String, Entry>> response)
      implements Command {}

  private record Got(
      Replicator.GetResponse<LWWMap<String, Entry>> response,
      ActorRef<java.util.List<Entry>> replyTo)
      implements Command {}

  /**
   * A job as the index shows it.
   *
   * @param job the job's id
   * @param pipeline its pipeline
   * @param state its state, as {@link JobStatus#state()}
   * @param items items known to it
   * @param completed items completed
   * @param submittedAt when it was started, epoch milliseconds
   */
  public record Entry(
      String job, String pipeline, String state, long items, long completed, long submittedAt)
      implements TroupeMessage {}

  private static final Key<LWWMap<String, Entry>> KEY = LWWMapKey.create("troupe-jobs");

  /**
   * Creates the index of this node.
   *
   * @param capacity most entries kept
   * @return the index's behavior
   */
  public static Behavior<Command> create(int capacity) {
    return Behaviors.setup(
        ctx ->
            DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWMap<String, Entry>> replicator) -> {
                  SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
                  return Behaviors.receive(Command.class)
                      .onMessage(
                          Record.class,
                          record -> {
                            replicator.askUpdate(
                                replyTo ->
                                    new Replicator.Update<>(
                                        KEY,
                                        LWWMap.empty(),
                                        Replicator.writeLocal(),
                                        replyTo,
                                        map ->
                                            prune(
                                                map.put(self, record.entry().job(), record.entry()),
                                                self,
                                                capacity)),
                                Updated::new);
                            return Behaviors.same();
                          })
                      .onMessage(
                          List.class,
                          list -> {
                            replicator.askGet(
                                replyTo ->
                                    new Replicator.Get<>(KEY, Replicator.readLocal(), replyTo),
                                response -> new Got(response, list.replyTo()));
                            return Behaviors.same();
                          })
                      .onMessage(Updated.class, updated -> Behaviors.same())
                      .onMessage(
                          Got.class,
                          got -> {
                            got.replyTo().tell(entries(got.response()));
                            return Behaviors.same();
                          })
                      .build();
                }));
  }

  private static LWWMap<String, Entry> prune(
      LWWMap<String, Entry> map, SelfUniqueAddress self, int capacity) {
    Map<String, Entry> all = map.getEntries();
    if (all.size() <= capacity) {
      return map;
    }
    java.util.List<Entry> oldestFirst = new ArrayList<>(all.values());
    oldestFirst.sort(Comparator.comparingLong(Entry::submittedAt));
    LWWMap<String, Entry> pruned = map;
    for (int i = 0; i < all.size() - capacity; i++) {
      pruned = pruned.remove(self, oldestFirst.get(i).job());
    }
    return pruned;
  }

  private static java.util.List<Entry> entries(
      Replicator.GetResponse<LWWMap<String, Entry>> response) {
    if (!(response instanceof Replicator.GetSuccess<LWWMap<String, Entry>> success)) {
      return java.util.List.of();
    }
    java.util.List<Entry> entries = new ArrayList<>(success.get(KEY).getEntries().values());
    entries.sort(Comparator.comparingLong(Entry::submittedAt).reversed());
    return java.util.List.copyOf(entries);
  }
}
