package io.troupe.examples.orders;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.actors.TroupeSystem;
import io.troupe.persistence.internal.PersistenceSettings;
import io.troupe.persistence.internal.SchemaMigrations;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/** Test kits whose entities persist to a real (H2 file) journal, as `troupe run` does. */
final class TestJournals {

  private TestJournals() {}

  /**
   * Returns a test kit with an H2 journal and snapshot store in the given directory.
   *
   * @param dir where the database file goes
   * @param name the actor system's name
   * @return the test kit
   */
  static ActorTestKit h2(Path dir, String name) {
    Config app =
        ConfigFactory.parseString(
            "troupe.persistence { journal = h2, h2.file = \"" + dir.resolve("journal") + "\" }");
    Config config =
        TroupeSystem.config(app, List.of(io.troupe.persistence.internal.Journals::layer));
    SchemaMigrations.migrate(PersistenceSettings.create(config));
    return ActorTestKit.create(name, config);
  }
}
