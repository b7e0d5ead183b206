package io.troupe.examples.crawl;

import io.troupe.sdk.Confinement;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.ClientTransport;
import org.apache.pekko.http.javadsl.OutgoingConnection;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * The crawler's TCP transport under Pekko HTTP's client (TLS runs on top of it): before each
 * connection it resolves the host, checks every address with the job's {@link Confinement}, and
 * connects to exactly the address it checked, so no second lookup can answer differently (DNS
 * rebinding). A refused host fails the request with {@link Confinement.AddressNotAllowedException}
 * before any connection is opened.
 *
 * <p>Transports are equal when their confinements are, so that every worker of a node shares
 * Pekko's connection pool per host (its size is the crawl's politeness limit).
 */
final class ConfinedTransport extends ClientTransport {

  /** Where name lookups block: never on the actor system's default dispatcher. */
  private static final String LOOKUP_DISPATCHER = "pekko.actor.default-blocking-io-dispatcher";

  private final Confinement confinement;

  ConfinedTransport(Confinement confinement) {
    this.confinement = confinement;
  }

  @Override
  public Flow<ByteString, ByteString, CompletionStage<OutgoingConnection>> connectTo(
      String host, int port, ClientConnectionSettings settings, ActorSystem system) {
    Executor lookups = system.dispatchers().lookup(LOOKUP_DISPATCHER);
    return ClientTransport.withCustomResolver(
            (name, p) -> CompletableFuture.supplyAsync(() -> checked(name, (Integer) p), lookups))
        .connectTo(host, port, settings, system);
  }

  /**
   * Resolves and checks a host; the address returned is the one to connect to.
   *
   * @throws CompletionException wrapping {@link Confinement.AddressNotAllowedException} or the
   *     lookup's failure
   */
  InetSocketAddress checked(String host, int port) {
    try {
      return new InetSocketAddress(confinement.addresses(host).get(0), port);
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfinedTransport t && t.confinement.equals(confinement);
  }

  @Override
  public int hashCode() {
    return confinement.hashCode();
  }
}
