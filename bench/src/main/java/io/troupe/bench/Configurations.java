package io.troupe.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.actors.TroupeSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;

/** The two actor-system configurations the Savina harness compares, with identical actor code. */
public final class Configurations {

  private Configurations() {}

  /**
   * Returns Troupe's configuration: what {@link TroupeSystem} starts a system with.
   *
   * @param experiment extra application config for experiments; {@link ConfigFactory#empty()} for
   *     Troupe as shipped
   * @return the full, resolved config
   */
  public static Config troupe(Config experiment) {
    return TroupeSystem.config(experiment);
  }

  /**
   * Returns Pekko out of the box: {@link ConfigFactory#load()}, that is Pekko's {@code
   * reference.conf} with no application config.
   *
   * @return the full, resolved config
   */
  public static Config pekkoDefault() {
    return ConfigFactory.load();
  }

  /**
   * Starts a system whose guardian spawns workload rounds.
   *
   * @param name the system name
   * @param config the full config
   * @return the running system
   */
  public static ActorSystem<SpawnProtocol.Command> start(String name, Config config) {
    return ActorSystem.create(SpawnProtocol.create(), name, config);
  }
}
