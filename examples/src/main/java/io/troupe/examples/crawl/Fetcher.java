package io.troupe.examples.crawl;

import io.troupe.sdk.Confinement;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * Fetches pages with Pekko HTTP's client: every request is asynchronous, so a fetch in flight holds
 * no thread. Connections are pooled per host and capped at the politeness limit; requests beyond it
 * wait in the pool's queue. Every connection goes through a {@link ConfinedTransport}: only to
 * addresses the job's confinement allows, checked after the name lookup.
 *
 * <p>Why a URL could not be fetched is one of few reasons, none of which tells a closed port from
 * an open one that does not speak HTTP: {@link #NO_RESPONSE} for any failure before a response (no
 * route, refused, reset, closed, timed out), the refusal of the address, or a body too large.
 */
final class Fetcher {

  /** The largest body read; a bigger page counts as broken. */
  static final long MAX_BODY_BYTES = 8L << 20;

  /** Why a URL is broken when no response came, whatever the cause. */
  static final String NO_RESPONSE = "no response";

  /** Why a URL is broken when its body was larger than {@link #MAX_BODY_BYTES}. */
  static final String TOO_LARGE = "body larger than " + MAX_BODY_BYTES + " bytes";

  /**
   * What one request gave.
   *
   * @param status the HTTP status, or 0 if there was no response
   * @param html the body of a 2xx {@code text/html} response, else null
   * @param error why there was no response, else null
   */
  record Response(int status, String html, String error) {}

  private final ClassicActorSystemProvider system;
  private final Http http;
  private final ConnectionPoolSettings pool;
  private final Duration timeout;

  /**
   * Creates a fetcher.
   *
   * @param system the node's actor system
   * @param confinement which addresses the job may connect to
   * @param perHost most connections open to one host at once
   * @param inFlight most requests this fetcher has in flight at once
   * @param timeout how long a request may take, waiting for a connection to its host, connecting
   *     and reading included
   */
  Fetcher(
      ClassicActorSystemProvider system,
      Confinement confinement,
      int perHost,
      int inFlight,
      Duration timeout) {
    this.system = system;
    this.http = Http.get(system);
    this.timeout = timeout;
    this.pool =
        ConnectionPoolSettings.create(system.classicSystem())
            .withMaxConnections(perHost)
            .withMaxOpenRequests(Integer.highestOneBit(Math.max(1, inFlight) * 2 - 1) * 2)
            .withMaxRetries(0)
            .withConnectionSettings(
                ClientConnectionSettings.create(system.classicSystem())
                    .withTransport(new ConfinedTransport(confinement))
                    .withConnectingTimeout(timeout)
                    // A server that stops answering frees its connection after the timeout
                    // instead of Pekko's default minute, so later URLs of its host can go.
                    .withIdleTimeout(timeout));
  }

  /**
   * Requests a URL; never completes exceptionally.
   *
   * @param url a normalised http(s) URL
   * @return the response, or the reason there was none
   */
  CompletionStage<Response> get(String url) {
    CompletableFuture<Response> answer = new CompletableFuture<>();
    try {
      then(
          http.singleRequest(
              HttpRequest.GET(url),
              http.defaultClientHttpsContext(),
              pool,
              system.classicSystem().log()),
          response -> then(read(response), answer::complete, answer),
          answer);
    } catch (RuntimeException e) {
      answer.complete(new Response(0, null, describe(e)));
    }
    return answer
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> new Response(0, null, describe(e)));
  }

  /**
   * Continues on the thread that completes {@code stage}. Pekko's stages are Scala futures whose
   * plain {@code thenApply} and friends run asynchronously on the JDK's default executor, which on
   * a machine with two cores starts a new thread for every callback.
   */
  private static <T> void then(
      CompletionStage<T> stage,
      java.util.function.Consumer<T> next,
      CompletableFuture<Response> answer) {
    stage.whenCompleteAsync(
        (value, error) -> {
          if (error != null) {
            answer.completeExceptionally(error);
          } else {
            next.accept(value);
          }
        },
        Runnable::run);
  }

  private CompletionStage<Response> read(HttpResponse response) {
    int status = response.status().intValue();
    ContentType type = response.entity().getContentType();
    boolean html = type.mediaType().equals(MediaTypes.TEXT_HTML);
    if (status < 200 || status >= 300 || !html) {
      response.discardEntityBytes(system);
      return CompletableFuture.completedFuture(new Response(status, null, null));
    }
    Charset charset =
        type.getCharsetOption().map(c -> c.nioCharset()).orElse(StandardCharsets.UTF_8);
    CompletableFuture<Response> page = new CompletableFuture<>();
    then(
        response.entity().toStrict(timeout.toMillis(), MAX_BODY_BYTES, system),
        strict -> page.complete(new Response(status, strict.getData().decodeString(charset), null)),
        page);
    return page.exceptionally(
        e ->
            new Response(
                0, null, has(e, EntityStreamSizeException.class) ? TOO_LARGE : NO_RESPONSE));
  }

  /** The reason a request failed: only whether the address was refused shows. */
  static String describe(Throwable e) {
    return has(e, Confinement.AddressNotAllowedException.class)
        ? new Confinement.AddressNotAllowedException().getMessage()
        : NO_RESPONSE;
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
