package io.troupe.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class WorkDispatchTest {

  private static List<WorkDispatch.Assignment<String, Integer>> drain(
      WorkDispatch<String, Integer> dispatch) {
    List<WorkDispatch.Assignment<String, Integer>> out = new ArrayList<>();
    for (var a = dispatch.next(); a != null; a = dispatch.next()) {
      out.add(a);
    }
    return out;
  }

  @Test
  void next_neverGivesAWorkerMoreThanItsCredit() {
    WorkDispatch<String, Integer> dispatch = new WorkDispatch<>(2);
    dispatch.addWorker("a");
    dispatch.addWorker("b");
    for (int i = 0; i < 10; i++) {
      dispatch.enqueue(i);
    }

    List<WorkDispatch.Assignment<String, Integer>> handedOut = drain(dispatch);

    assertThat(handedOut).hasSize(4);
    assertThat(handedOut).filteredOn(a -> a.worker().equals("a")).hasSize(2);
    assertThat(dispatch.queued()).isEqualTo(6);
    assertThat(dispatch.hasFreeSlot()).isFalse();
  }

  @Test
  void takeQueued_takesWhatNoWorkerHolds_inOrder_andLeavesTheRest() {
    WorkDispatch<String, Integer> dispatch = new WorkDispatch<>(2);
    dispatch.addWorker("a");
    for (int i = 0; i < 5; i++) {
      dispatch.enqueue(i);
    }
    assertThat(drain(dispatch)).hasSize(2);

    assertThat(dispatch.takeQueued()).containsExactly(2, 3, 4);
    assertThat(dispatch.queued()).isZero();
    assertThat(dispatch.inFlight()).as("the worker keeps what it holds").isEqualTo(2);
    assertThat(dispatch.takeQueued()).isEmpty();
  }

  @Test
  void next_spreadsWorkOverIdleWorkersBeforeDoublingUp() {
    WorkDispatch<String, Integer> dispatch = new WorkDispatch<>(3);
    dispatch.addWorker("a");
    dispatch.addWorker("b");
    dispatch.addWorker("c");
    for (int i = 0; i < 3; i++) {
      dispatch.enqueue(i);
    }

    assertThat(drain(dispatch))
        .extracting(WorkDispatch.Assignment::worker)
        .containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void finish_freesTheSlotOfTheWorkerThatAnswered() {
    WorkDispatch<String, Integer> dispatch = new WorkDispatch<>(1);
    dispatch.addWorker("a");
    dispatch.addWorker("b");
    for (int i = 0; i < 4; i++) {
      dispatch.enqueue(i);
    }
    List<WorkDispatch.Assignment<String, Integer>> first = drain(dispatch);
    WorkDispatch.Assignment<String, Integer> fromB =
        first.stream().filter(a -> a.worker().equals("b")).findFirst().orElseThrow();

    assertThat(dispatch.finish(fromB.id())).isEqualTo(fromB);

    assertThat(dispatch.next().worker()).isEqualTo("b");
    assertThat(dispatch.next()).isNull();
  }

  @Test
  void finish_whenIdUnknownOrRepeated_returnsNull() {
    WorkDispatch<String, Integer> dispatch = new WorkDispatch<>(1);
    dispatch.addWorker("a");
    dispatch.enqueue(7);
    WorkDispatch.Assignment<String, Integer> a = dispatch.next();

    assertThat(dispatch.finish(a.id())).isNotNull();
    assertThat(dispatch.finish(a.id())).isNull();
    assertThat(dispatch.finish(12345)).isNull();
  }

  @Test
  void retry_putsTaskFirstWithItsAttempt() {
    WorkDispatch<String, Integer> dispatch = new WorkDispatch<>(1);
    dispatch.enqueue(1);
    dispatch.retry(9, 2);
    dispatch.addWorker("a");

    WorkDispatch.Assignment<String, Integer> a = dispatch.next();

    assertThat(a.task()).isEqualTo(9);
    assertThat(a.attempt()).isEqualTo(2);
  }

  @Test
  void removeWorker_requeuesItsTasksFirstWithSameAttempts() {
    WorkDispatch<String, Integer> dispatch = new WorkDispatch<>(2);
    dispatch.addWorker("a");
    dispatch.enqueue(1);
    dispatch.enqueue(2);
    dispatch.enqueue(3);
    drain(dispatch);

    assertThat(dispatch.removeWorker("a")).isEqualTo(2);

    assertThat(dispatch.inFlight()).isZero();
    assertThat(dispatch.queued()).isEqualTo(3);
    dispatch.addWorker("b");
    assertThat(drain(dispatch))
        .extracting(WorkDispatch.Assignment::task)
        .containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void busyNanos_countsTimeAWorkerHoldsWork() throws InterruptedException {
    WorkDispatch<String, Integer> dispatch = new WorkDispatch<>(1);
    dispatch.addWorker("a");
    dispatch.enqueue(1);
    WorkDispatch.Assignment<String, Integer> a = dispatch.next();
    Thread.sleep(20);
    dispatch.finish(a.id());
    long busy = dispatch.busyNanos();
    Thread.sleep(20);

    assertThat(busy).isGreaterThanOrEqualTo(20_000_000L);
    assertThat(dispatch.busyNanos()).as("idle time is not busy time").isEqualTo(busy);
  }

  @Test
  void giveUpOverdue_returnsEachWorkersOldestTaskOnce_andRequeuesTheOnesBehindIt() {
    WorkDispatch<String, Integer> dispatch = new WorkDispatch<>(3);
    dispatch.addWorker("a");
    dispatch.addWorker("b");
    for (int i = 1; i <= 6; i++) {
      dispatch.enqueue(i);
    }
    List<WorkDispatch.Assignment<String, Integer>> out = drain(dispatch);
    Integer firstOnA =
        out.stream().filter(a -> a.worker().equals("a")).findFirst().orElseThrow().task();
    assertThat(dispatch.giveUpOverdue(Long.MAX_VALUE)).as("nothing is overdue yet").isEmpty();

    List<WorkDispatch.Assignment<String, Integer>> overdue = dispatch.giveUpOverdue(-1);

    assertThat(overdue).extracting(WorkDispatch.Assignment::worker).containsExactly("a", "b");
    assertThat(overdue.get(0).task()).isEqualTo(firstOnA);
    assertThat(dispatch.inFlight()).as("only the overdue tasks stay in flight").isEqualTo(2);
    assertThat(dispatch.queued()).isEqualTo(4);
    assertThat(dispatch.giveUpOverdue(-1)).as("each is given up on once").isEmpty();
    assertThat(dispatch.next()).as("a stuck worker gets nothing more").isNull();
    assertThat(dispatch.finish(overdue.get(0).id()))
        .as("the stuck worker's late answer still ends its hand-out")
        .isNotNull();
    assertThat(drain(dispatch))
        .as("the answer frees the worker, which gets the requeued tasks first, oldest first")
        .extracting(WorkDispatch.Assignment::task)
        .containsExactly(out.get(2).task(), out.get(3).task(), out.get(4).task());
  }

  @Test
  void giveUpOverdue_ignoresAnswersToTheTasksItRequeued() {
    WorkDispatch<String, Integer> dispatch = new WorkDispatch<>(2);
    dispatch.addWorker("a");
    dispatch.enqueue(1);
    dispatch.enqueue(2);
    WorkDispatch.Assignment<String, Integer> first = dispatch.next();
    WorkDispatch.Assignment<String, Integer> second = dispatch.next();

    dispatch.giveUpOverdue(-1);

    assertThat(dispatch.finish(second.id())).as("handed back, so not in flight").isNull();
    assertThat(dispatch.finish(first.id()).task()).isEqualTo(1);
    assertThat(dispatch.next().task()).isEqualTo(2);
  }

  @Test
  void setCreditPerWorker_changesHowManyTasksEachWorkerMayHold() {
    WorkDispatch<String, Integer> dispatch = new WorkDispatch<>(1);
    dispatch.addWorker("a");
    for (int i = 0; i < 10; i++) {
      dispatch.enqueue(i);
    }
    assertThat(drain(dispatch)).hasSize(1);

    dispatch.setCreditPerWorker(4);
    assertThat(drain(dispatch)).hasSize(3);

    dispatch.setCreditPerWorker(2);
    WorkDispatch.Assignment<String, Integer> a = dispatch.next();
    assertThat(a).as("a worker over its new credit gets nothing").isNull();
    assertThat(dispatch.creditPerWorker()).isEqualTo(2);
    assertThatThrownBy(() -> dispatch.setCreditPerWorker(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_whenCreditNotPositive_throws() {
    assertThatThrownBy(() -> new WorkDispatch<String, Integer>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("creditPerWorker must be >= 1, was 0");
  }
}
