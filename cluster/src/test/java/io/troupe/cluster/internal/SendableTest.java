package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.SumPipeline;
import io.troupe.persistence.testing.CountLogic.Count;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Only messages bound for another node are checked by default, and the check names why a message
 * could not cross: the serializer's error, or its size against Artery's frame.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class SendableTest {

  private ActorTestKit testKit;
  private ActorRef<Object> local;
  private ActorRef<Object> remote;

  @BeforeAll
  void start() {
    testKit = ActorTestKit.create("sendable-test", TroupeNode.config(ConfigFactory.empty()));
    local = testKit.<Object>createTestProbe().ref();
    // A reference to an actor on another node; resolving it opens no connection.
    remote =
        Adapter.toTyped(
            Adapter.toClassic(testKit.system())
                .provider()
                .resolveActorRef("pekko://sendable-test@127.0.0.1:1/user/elsewhere"));
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aSmallSerializableResult_mayCross() {
    Sendable check = new Sendable(testKit.system(), false);

    assertThat(check.problem(new Count(3, 1), remote)).isNull();
  }

  @Test
  void anOversizeResult_isRefusedForAnotherNodeOnly() {
    Sendable check = new Sendable(testKit.system(), false);
    SumPipeline.Bulky bulky = new SumPipeline.Bulky("x".repeat(9 << 20));

    assertThat(check.problem(bulky, local)).isNull();
    assertThat(check.problem(bulky, remote))
        .startsWith("the result is ")
        .contains("too large to cross nodes")
        .contains("maximum-frame-size (8,388,608 bytes)");
  }

  @Test
  void anUnserializableResult_isRefusedWithTheSerializersError() {
    Sendable check = new Sendable(testKit.system(), false);

    assertThat(check.problem(new SumPipeline.Unwritable(1), local)).isNull();
    assertThat(check.problem(new SumPipeline.Unwritable(1), remote))
        .startsWith("the result cannot be serialized to cross nodes: ")
        .contains("this partial cannot be written")
        .doesNotContain("\n");
  }

  @Test
  void always_checksLocalResultsToo() {
    Sendable check = new Sendable(testKit.system(), true);

    assertThat(check.problem(new SumPipeline.Unwritable(1), local))
        .startsWith("the result cannot be serialized to cross nodes: ");
  }
}
