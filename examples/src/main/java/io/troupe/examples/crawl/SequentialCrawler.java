package io.troupe.examples.crawl;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The crawl reference: one request at a time with the JDK's blocking HTTP client, breadth first,
 * with the same normalisation, parsing and limits as the job. Its result equals the job's whenever
 * the site is smaller than the page limit.
 */
final class SequentialCrawler {

  private final HttpClient client;
  private final Duration timeout;

  SequentialCrawler(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .build();
  }

  /**
   * Crawls from a start URL.
   *
   * @param start the normalised start URL
   * @param maxUrls the most URLs to fetch
   * @param inScope which URLs to follow
   * @return what was fetched
   * @throws InterruptedException if interrupted
   */
  Crawled crawl(String start, long maxUrls, Predicate<String> inScope) throws InterruptedException {
    Crawled crawled = Crawled.empty();
    Set<String> known = new HashSet<>();
    ArrayDeque<String> queue = new ArrayDeque<>();
    known.add(start);
    queue.add(start);
    while (!queue.isEmpty()) {
      String url = queue.poll();
      Crawled step = fetch(url, inScope);
      Crawled.merge(crawled, step);
      for (var out : step.pages().values()) {
        for (String to : out) {
          if (known.size() < maxUrls && known.add(to)) {
            queue.add(to);
          }
        }
      }
    }
    return crawled;
  }

  private Crawled fetch(String url, Predicate<String> inScope) throws InterruptedException {
    HttpResponse<byte[]> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return Crawled.broken(url, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    int status = response.statusCode();
    if (status >= 400) {
      return Crawled.broken(url, "HTTP " + status);
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (status < 200 || status >= 300 || !isHtml(type)) {
      return Crawled.other(url);
    }
    if (response.body().length > Fetcher.MAX_BODY_BYTES) {
      return Crawled.broken(url, "body larger than " + Fetcher.MAX_BODY_BYTES + " bytes");
    }
    String html = new String(response.body(), charset(type));
    return Crawled.page(url, PageParser.links(url, html, inScope));
  }

  private static boolean isHtml(String contentType) {
    return contentType.toLowerCase(Locale.ROOT).strip().startsWith("text/html");
  }

  private static Charset charset(String contentType) {
    for (String part : contentType.split(";")) {
      String p = part.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
        try {
          return Charset.forName(p.substring(8).replace("\"", "").strip());
        } catch (IllegalArgumentException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }
}
