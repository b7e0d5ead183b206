package io.troupe.examples.crawl;

import io.troupe.sdk.Confinement;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The crawl reference: one blocking request at a time, breadth first, with the same normalisation,
 * parsing, limits, confinement and reasons as the job. Its result equals the job's whenever the
 * site is smaller than the page limit.
 */
final class SequentialCrawler {

  private final Confinement confinement;
  private final Duration timeout;

  SequentialCrawler(Confinement confinement, Duration timeout) {
    this.confinement = confinement;
    this.timeout = timeout;
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
    if (Thread.interrupted()) {
      throw new InterruptedException("crawl interrupted");
    }
    URI uri = URI.create(url);
    InetAddress address;
    try {
      // Resolved and checked once; the request goes to exactly this address.
      address = confinement.addresses(uri.getHost()).get(0);
    } catch (Confinement.AddressNotAllowedException e) {
      return Crawled.broken(url, e.getMessage());
    } catch (IOException e) {
      return Crawled.broken(url, Fetcher.NO_RESPONSE);
    }
    BlockingGet.Response response;
    try {
      response =
          BlockingGet.get(
              uri,
              address,
              timeout,
              (status, type) -> status >= 200 && status < 300 && isHtml(type),
              Fetcher.MAX_BODY_BYTES);
    } catch (BlockingGet.TooLarge e) {
      return Crawled.broken(url, Fetcher.TOO_LARGE);
    } catch (IOException e) {
      return Crawled.broken(url, Fetcher.NO_RESPONSE);
    }
    int status = response.status();
    if (status >= 400) {
      return Crawled.broken(url, "HTTP " + status);
    }
    String type = response.contentType();
    if (status < 200 || status >= 300 || !isHtml(type)) {
      return Crawled.other(url);
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
