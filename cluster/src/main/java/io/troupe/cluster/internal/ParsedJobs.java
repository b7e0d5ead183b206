package io.troupe.cluster.internal;

import io.troupe.persistence.JobSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The jobs' parsed options on this node, so that each job's options are parsed once per node: its
 * coordinator, its ledger and its host all use the same {@link ParsedPipeline} (internal API).
 *
 * <p>Implementation notes: a small access-ordered cache keyed by pipeline and arguments, shared by
 * the node's actors, hence synchronized; parsing is deterministic, so an evicted entry is simply
 * parsed again. A parse that fails is not cached.
 */
public final class ParsedJobs implements Extension {

  /** Jobs whose parsed options are kept. */
  private static final int KEEP = 256;

  private record Key(String pipeline, List<String> args) {}

  private final Map<Key, ParsedPipeline> parsed =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, ParsedPipeline> eldest) {
          return size() > KEEP;
        }
      };

  private static final class Id extends ExtensionId<ParsedJobs> {
    @Override
    public ParsedJobs createExtension(ActorSystem<?> system) {
      return new ParsedJobs();
    }
  }

  private static final Id ID = new Id();

  /** Returns the cache of a node. */
  public static ParsedJobs get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * Returns a job's parsed pipeline, parsing its options if this node has not yet.
   *
   * @param job the job
   * @param pipelines the node's pipelines
   * @param settings the node's job settings (its confinement)
   * @return the parsed pipeline
   * @throws RuntimeException as {@link JobSettings#parse} does
   */
  public ParsedPipeline parse(JobSpec job, Pipelines pipelines, JobSettings settings) {
    Key key = new Key(job.pipeline(), job.args());
    synchronized (parsed) {
      ParsedPipeline known = parsed.get(key);
      if (known != null) {
        return known;
      }
    }
    ParsedPipeline made = settings.parse(pipelines.get(job.pipeline()), job.args());
    synchronized (parsed) {
      parsed.put(key, made);
    }
    return made;
  }
}
