package io.troupe.cluster.bootstrap;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Finds the contact points of a bootstrapping node: one call per probe round. */
interface Discovery {

  /**
   * Returns the contact points found now, or fails with a {@link DiscoveryException} saying why
   * none could be found.
   */
  CompletionStage<List<ContactPoint>> discover();

  /** Returns the discovery {@code settings} configure. */
  static Discovery of(BootstrapSettings settings) {
    return switch (settings.method()) {
      case CONFIG -> {
        List<ContactPoint> points = settings.contactPoints();
        yield () -> CompletableFuture.completedFuture(points);
      }
      case KUBERNETES_API ->
          new KubernetesDiscovery(
              settings.kubernetes(), settings.ownHttpPort(), settings.requestTimeout());
    };
  }
}
