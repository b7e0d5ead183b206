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
  void constructor_whenCreditNotPositive_throws() {
    assertThatThrownBy(() -> new WorkDispatch<String, Integer>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("creditPerWorker must be >= 1, was 0");
  }
}
