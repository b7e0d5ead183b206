package io.troupe.persistence.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.actors.TroupeSystem;
import io.troupe.persistence.internal.Journals;
import io.troupe.persistence.internal.PersistenceSettings;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;

/**
 * An actor test kit whose journal is Pekko's persistence test kit, which fails or rejects a write
 * on demand: for tests of what a persistent actor does when its database fails. Troupe's settings
 * see an in-memory journal, so nothing takes snapshots.
 *
 * @param testKit the test kit; stop it with {@link #stop}
 * @param journal the journal's controls ({@code failNextPersisted} and the like)
 * @param settings the persistence settings the actors under test take
 */
public record FailingJournal(
    ActorTestKit testKit, PersistenceTestKit journal, PersistenceSettings settings) {

  /**
   * Starts a test kit on the failing journal.
   *
   * @param name the actor system's name
   * @return the test kit and its journal
   */
  public static FailingJournal start(String name) {
    Config app =
        ConfigFactory.parseString("troupe.persistence.journal = memory")
            .withFallback(PersistenceTestKitPlugin.getInstance().config());
    Config config = TroupeSystem.config(app, List.of(Journals::layer));
    ActorTestKit testKit = ActorTestKit.create(name, config);
    return new FailingJournal(
        testKit, PersistenceTestKit.create(testKit.system()), PersistenceSettings.create(config));
  }

  /** Stops the test kit. */
  public void stop() {
    testKit.shutdownTestKit();
  }
}
