package io.troupe.actors;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;

/** Test kits running on Troupe's bootstrap, so tests exercise the shipped defaults. */
final class TestKits {

  private TestKits() {}

  /** Returns a test kit whose system is configured exactly as TroupeSystem would configure it. */
  static ActorTestKit troupe() {
    return new JUnit5TestKitBuilder()
        .withCustomConfig(
            TroupeSystem.config(
                ConfigFactory.parseString(
                    // Short backoff keeps supervision tests fast; everything else is default.
                    "troupe.actors.supervision { min-backoff = 10ms, max-backoff = 50ms }")))
        .build();
  }
}
