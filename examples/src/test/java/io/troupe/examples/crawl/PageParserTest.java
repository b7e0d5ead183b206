package io.troupe.examples.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Links of a page: resolved, normalised, in scope, each once, in document order. */
final class PageParserTest {

  private static final String PAGE = "http://h.test/a/index.html";

  @Test
  void links_areDistinctInScopeAndInDocumentOrder() {
    String html =
        "<html><body>"
            + "<a href='b.html'>b</a> <a href='/a/b.html#x'>b again</a>"
            + "<a href='https://elsewhere.test/'>out</a> <a href='mailto:x@h.test'>mail</a>"
            + "<map><area href='../c.html'></map> <a>no href</a> <a href='#top'>self</a>"
            + "</body></html>";

    assertThat(PageParser.links(PAGE, html, url -> url.startsWith("http://h.test/")))
        .containsExactly("http://h.test/a/b.html", "http://h.test/c.html", PAGE);
  }

  @Test
  void links_resolveAgainstTheBaseElement() {
    String html = "<html><head><base href='/docs/'></head><body><a href='x.html'>x</a></body>";

    assertThat(PageParser.links(PAGE, html, url -> true))
        .containsExactly("http://h.test/docs/x.html");
  }

  @Test
  void links_ofBrokenHtml_areStillFound() {
    String html = "<p><a href=one.html>one<div><a href=\"two.html\">two";

    assertThat(PageParser.links(PAGE, html, url -> true))
        .containsExactly("http://h.test/a/one.html", "http://h.test/a/two.html");
  }
}
