package io.troupe.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Starts typed actor systems with Troupe's defaults: a default dispatcher sized to the machine's
 * cores, a measured throughput, a separate dispatcher for blocking work and SLF4J logging.
 *
 * <p>Configuration is layered, highest priority first: JVM system properties, the application
 * config (your {@code application.conf}, or the config you pass), Troupe's tuning derived from
 * {@code troupe.actors}, then the {@code reference.conf} of every library. So a {@code pekko.*} key
 * you set yourself always wins over Troupe's tuning.
 *
 * <pre>{@code
 * ActorSystem<Void> system = TroupeSystem.create(Behaviors.setup(ctx -> {
 *   ctx.spawn(Supervision.restartWithBackoff(Greeter.create()), "greeter");
 *   return Behaviors.empty();
 * }), "demo");
 * }</pre>
 */
public final class TroupeSystem {

  private TroupeSystem() {}

  /**
   * Starts an actor system configured from the classpath's {@code application.conf}.
   *
   * @param guardian the behavior of the user guardian
   * @param name the system name: letters, digits, '-' and '_'
   * @param <T> the guardian's message type
   * @return the running system
   */
  public static <T> ActorSystem<T> create(Behavior<T> guardian, String name) {
    return ActorSystem.create(guardian, name, config(ConfigFactory.defaultApplication()));
  }

  /**
   * Starts an actor system from the given application config.
   *
   * @param guardian the behavior of the user guardian
   * @param name the system name: letters, digits, '-' and '_'
   * @param application the application config, for example parsed from an operator's file; it takes
   *     the place of {@code application.conf}
   * @param <T> the guardian's message type
   * @return the running system
   */
  public static <T> ActorSystem<T> create(Behavior<T> guardian, String name, Config application) {
    return ActorSystem.create(guardian, name, config(application));
  }

  /**
   * Returns the full, resolved config Troupe would start a system with.
   *
   * @param application the application config; {@link ConfigFactory#empty()} for none
   * @return system properties, then {@code application}, then Troupe's tuning, then references
   * @throws IllegalArgumentException if a {@code troupe.actors} value is out of range
   * @throws com.typesafe.config.ConfigException if the config is malformed
   */
  public static Config config(Config application) {
    return config(application, List.of());
  }

  /**
   * Returns the full, resolved config with further default layers from higher Troupe modules (for
   * example the journal wiring derived from {@code troupe.persistence}).
   *
   * <p>Each layer function receives the resolved view of system properties, {@code application} and
   * references, and returns keys that sit below the application config and above Troupe's
   * dispatcher tuning; earlier layers win over later ones.
   *
   * @param application the application config; {@link ConfigFactory#empty()} for none
   * @param layers functions from the user's view to default keys
   * @return the resolved config
   * @throws IllegalArgumentException if a setting is out of range
   * @throws com.typesafe.config.ConfigException if the config is malformed
   */
  public static Config config(Config application, List<Function<Config, Config>> layers) {
    Config overrides = ConfigFactory.defaultOverrides();
    Config reference = ConfigFactory.defaultReference();
    Config userView = overrides.withFallback(application).withFallback(reference).resolve();
    Config merged = overrides.withFallback(application);
    for (Function<Config, Config> layer : layers) {
      merged = merged.withFallback(layer.apply(userView));
    }
    TroupeSettings settings = TroupeSettings.create(userView);
    return merged.withFallback(tuning(settings)).withFallback(reference).resolve();
  }

  /** Pekko keys derived from Troupe's settings; they sit below the application config. */
  static Config tuning(TroupeSettings settings) {
    String hocon =
        String.format(
            Locale.ROOT,
            """
            pekko {
              loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
              logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
              # Everything goes through SLF4J; stdout stays free for results (the CLI's JSON).
              stdout-loglevel = "OFF"
              actor.default-dispatcher {
                executor = "fork-join-executor"
                fork-join-executor {
                  parallelism-min = %1$d
                  parallelism-factor = 1.0
                  parallelism-max = %1$d
                  task-peeking-mode = "%4$s"
                }
                throughput = %2$d
              }
              actor.internal-dispatcher.fork-join-executor {
                parallelism-min = %3$d
                parallelism-factor = 1.0
                parallelism-max = %3$d
              }
            }
            """,
            settings.parallelism(),
            settings.throughput(),
            settings.internalParallelism(),
            settings.taskPeekingMode());
    return ConfigFactory.parseString(hocon);
  }
}
