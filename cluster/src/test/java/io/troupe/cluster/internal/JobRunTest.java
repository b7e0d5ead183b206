package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.actors.internal.WorkDispatch;
import io.troupe.persistence.internal.JobLedger;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The coordinator's dispatch state: hand-outs, duplicates, stale answers, ledger back-pressure. */
final class JobRunTest {

  private record Part(int n) implements TroupeMessage {}

  private static List<WorkItem<?>> items(int n) {
    return IntStream.rangeClosed(1, n)
        .<WorkItem<?>>mapToObj(i -> new WorkItem<>("item-" + i, "work", new Part(i)))
        .toList();
  }

  private static JobRun<String> run(int items, Set<String> startedBefore) {
    return new JobRun<>(items(items), Map.of(), 0, Set.of(), startedBefore, 3);
  }

  @Test
  void done_onceTheJobHasItsMaximum_dropsFurtherDiscoveredItems() {
    JobRun<String> run = run(1, Set.of());
    run.limitItems(3);
    run.addHost("node-a", 4);
    WorkDispatch.Assignment<String, WorkItem<?>> root = run.handOut().get(0);

    List<WorkItem<?>> found =
        List.of(
            new WorkItem<>("item-1", "work", new Part(1)),
            new WorkItem<>("a", "work", new Part(2)),
            new WorkItem<>("b", "work", new Part(3)),
            new WorkItem<>("c", "work", new Part(4)));
    run.done(root.id(), root.task().id(), new Part(1), found);

    assertThat(run.items()).isEqualTo(3);
    assertThat(run.dropped()).isEqualTo(1);
    assertThat(run.handOut()).extracting(a -> a.task().id()).containsExactly("a", "b");
  }

  @Test
  void handOut_whileTooManyOutcomesWaitForTheLedger_holdsNewItemsBack() {
    JobRun<String> run = run(10, Set.of());
    run.addHost("node-a", 2);

    List<WorkDispatch.Assignment<String, WorkItem<?>>> first = run.handOut(3);
    run.done(first.get(0).id(), first.get(0).task().id(), new Part(1), List.of());
    List<WorkDispatch.Assignment<String, WorkItem<?>>> held = run.handOut(3);
    List<JobLedger.Entry> batch = run.takeBatch(100);
    run.batchWritten();
    List<WorkDispatch.Assignment<String, WorkItem<?>>> released = run.handOut(3);

    assertThat(first).hasSize(2);
    assertThat(held).as("2 starts + 1 outcome unwritten: at the limit").isEmpty();
    assertThat(batch).hasSize(3);
    assertThat(released).hasSize(1);
  }

  @Test
  void failed_forAHandOutThatAlreadyTimedOut_isNotAnotherAttempt() {
    JobRun<String> run = run(1, Set.of());
    run.addHost("node-a", 1);
    WorkDispatch.Assignment<String, WorkItem<?>> a = run.handOut().get(0);

    JobRun.Verdict timedOut = run.failed(a.id(), "item-1", "timeout");
    run.retryDue("item-1");
    run.handOut();
    JobRun.Verdict late = run.failed(a.id(), "item-1", "the worker's own failure, late");

    assertThat(timedOut).isEqualTo(JobRun.Verdict.RETRY);
    assertThat(late).isEqualTo(JobRun.Verdict.IGNORE);
    assertThat(run.failuresOf("item-1")).isEqualTo(1);
  }

  @Test
  void done_twice_countsOnce_andItemsAnEarlierRunHeldCountAsRedone() {
    JobRun<String> run = run(3, Set.of("item-2"));
    run.addHost("node-a", 3);
    List<WorkDispatch.Assignment<String, WorkItem<?>>> out = run.handOut();

    for (WorkDispatch.Assignment<String, WorkItem<?>> a : out) {
      assertThat(run.done(a.id(), a.task().id(), new Part(1), List.of())).isTrue();
    }
    boolean again = run.done(out.get(0).id(), out.get(0).task().id(), new Part(1), List.of());

    assertThat(again).isFalse();
    assertThat(run.completed()).isEqualTo(3);
    assertThat(run.duplicates()).isEqualTo(1);
    assertThat(run.redone()).isEqualTo(1);
    assertThat(run.takeBatch(100))
        .filteredOn(e -> e instanceof JobLedger.Started)
        .extracting(JobLedger.Entry::item)
        .as("item-2 was recorded as started by the earlier run")
        .containsExactlyInAnyOrder("item-1", "item-3");
  }
}
