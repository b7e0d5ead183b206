package io.troupe.persistence.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job registry of a node on the memory journal: in this node's memory, gone when it stops, as
 * its ledgers are. Admission counts this node's jobs only.
 */
final class MemoryJobRegistry implements JobRegistry {

  private static final Comparator<Job> NEWEST_FIRST =
      Comparator.comparingLong(Job::submittedAt).reversed().thenComparing(Job::job);

  private final Map<String, Job> jobs = new HashMap<>();

  @Override
  public synchronized long admit(Job job, int maxUnfinished) {
    long unfinished = jobs.values().stream().filter(j -> UNFINISHED.contains(j.state())).count();
    if (unfinished < maxUnfinished && !jobs.containsKey(job.job())) {
      jobs.put(job.job(), job);
    }
    return unfinished;
  }

  @Override
  public synchronized void record(List<Job> updates) {
    write(updates, true);
  }

  @Override
  public synchronized void update(List<Job> updates) {
    write(updates, false);
  }

  private void write(List<Job> updates, boolean addMissing) {
    for (Job update : updates) {
      Job known = jobs.get(update.job());
      if (known == null) {
        if (!addMissing) {
          continue;
        }
        jobs.put(update.job(), update);
      } else if (!known.isFinal() && known.updatedAt() <= update.updatedAt()) {
        jobs.put(update.job(), JdbcJobRegistry.merge(known, update));
      }
    }
  }

  @Override
  public synchronized Page list(Query query) {
    List<Job> matching = new ArrayList<>();
    for (Job job : jobs.values()) {
      if (query.matches(job)) {
        matching.add(job);
      }
    }
    matching.sort(NEWEST_FIRST);
    int from = Math.min(query.offset(), matching.size());
    int to = (int) Math.min((long) from + query.limit(), matching.size());
    return new Page(List.copyOf(matching.subList(from, to)), matching.size());
  }

  @Override
  public synchronized Job get(String job) {
    return jobs.get(job);
  }

  @Override
  public synchronized List<Job> unfinished() {
    List<Job> found = new ArrayList<>();
    for (Job job : jobs.values()) {
      if (UNFINISHED.contains(job.state())) {
        found.add(job);
      }
    }
    found.sort(NEWEST_FIRST.reversed());
    return found;
  }

  @Override
  public synchronized int purge(long finishedBefore) {
    int before = jobs.size();
    jobs.values()
        .removeIf(
            j -> (j.isFinal() || j.state().equals("failed")) && j.finishedAt() < finishedBefore);
    return before - jobs.size();
  }

  @Override
  public void close() {}
}
