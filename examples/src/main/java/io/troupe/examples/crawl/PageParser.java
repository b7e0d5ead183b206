package io.troupe.examples.crawl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Finds the links of an HTML page: the {@code href} of every {@code <a>} and {@code <area>},
 * resolved against the page's URL (or its {@code <base href>}), normalised ({@link Urls}), kept if
 * in scope, each once, in document order.
 */
public final class PageParser {

  private PageParser() {}

  /**
   * Parses a page and returns its distinct in-scope links.
   *
   * @param pageUrl the page's normalised URL
   * @param html the page's text
   * @param inScope which normalised URLs to keep
   * @return the links, each once, in the order they first appear
   */
  public static List<String> links(String pageUrl, String html, Predicate<String> inScope) {
    Document doc = Jsoup.parse(html, pageUrl);
    String base = pageUrl;
    Element baseTag = doc.selectFirst("base[href]");
    if (baseTag != null) {
      base = Urls.resolve(pageUrl, baseTag.attr("href")).orElse(pageUrl);
    }
    Set<String> links = new LinkedHashSet<>();
    for (Element a : doc.select("a[href], area[href]")) {
      Optional<String> url = Urls.resolve(base, a.attr("href"));
      if (url.isPresent() && inScope.test(url.get())) {
        links.add(url.get());
      }
    }
    return new ArrayList<>(links);
  }
}
