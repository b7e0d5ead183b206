package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Who stayed out of a job: each node once, the latest reason, the lacking pipeline not twice. */
final class NodesStayingOutTest {

  @Test
  void note_listsEachNodeOnce_byNode_withItsLatestReason() {
    NodesStayingOut out = new NodesStayingOut();

    assertThat(out.toJson()).isNull();
    assertThat(out.note("10.0.0.4:2551", "first")).isTrue();
    assertThat(out.note("10.0.0.2:2551", "other")).isTrue();
    assertThat(out.note("10.0.0.4:2551", "second")).isFalse();

    assertThat(out.toJson().toString())
        .isEqualTo(
            "[{\"node\":\"10.0.0.2:2551\",\"reason\":\"other\"},"
                + "{\"node\":\"10.0.0.4:2551\",\"reason\":\"second\"}]");
  }

  @Test
  void noteLacking_keepsAReasonTheNodeGaveItself() {
    NodesStayingOut out = new NodesStayingOut();
    out.note("10.0.0.4:2551", "cannot parse its options");

    assertThat(out.noteLacking("10.0.0.4:2551", "sum")).isFalse();
    assertThat(out.noteLacking("10.0.0.5:2551", "sum")).isTrue();
    assertThat(out.noteLacking("10.0.0.5:2551", "sum")).isFalse();

    assertThat(out.toJson().get(0).path("reason").asText()).isEqualTo("cannot parse its options");
    assertThat(out.toJson().get(1).path("reason").asText())
        .startsWith("the node does not have pipeline 'sum'");
  }
}
