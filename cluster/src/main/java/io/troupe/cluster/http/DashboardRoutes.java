package io.troupe.cluster.http;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The live dashboard: {@code GET /} serves its page and {@code GET /assets/...} its script and
 * style, all from the node's own classpath (no CDN; it works offline). The page polls {@code
 * /api/cluster}, {@code /api/jobs} and {@code /api/jobs/{id}}.
 */
final class DashboardRoutes extends AllDirectives {

  private static final String ROOT = "io/troupe/dashboard/";

  /** Returns the routes. */
  public Route routes() {
    return get(
        () ->
            concat(
                pathSingleSlash(
                    () -> getFromResource(ROOT + "index.html", ContentTypes.TEXT_HTML_UTF8)),
                pathPrefix("assets", () -> getFromResourceDirectory(ROOT + "assets"))));
  }
}
