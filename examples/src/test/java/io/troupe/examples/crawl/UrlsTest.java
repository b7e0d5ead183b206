package io.troupe.examples.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One resource, one id: normalisation and resolution of links. */
final class UrlsTest {

  private static final String PAGE = "http://127.0.0.1:8080/s3/page-3.html";

  @ParameterizedTest
  @CsvSource({
    "page-7.html, http://127.0.0.1:8080/s3/page-7.html",
    "./page-7.html#part-1, http://127.0.0.1:8080/s3/page-7.html",
    "../s4/page-4.html, http://127.0.0.1:8080/s4/page-4.html",
    "../../../s4/page-4.html, http://127.0.0.1:8080/s4/page-4.html",
    "/s4/./x/../page-4.html, http://127.0.0.1:8080/s4/page-4.html",
    "../, http://127.0.0.1:8080/",
    "#top, http://127.0.0.1:8080/s3/page-3.html",
    "'', http://127.0.0.1:8080/s3/page-3.html",
    "HTTP://Example.ORG:80, http://example.org/",
    "https://example.org:443/a?b=1#c, https://example.org/a?b=1",
    "https://example.org:8443/a, https://example.org:8443/a",
    "?q=2, http://127.0.0.1:8080/s3/page-3.html?q=2",
    "//other.example/x, http://other.example/x",
    "https://user:secret@example.org/a, https://example.org/a",
  })
  void resolve_normalisesEquivalentFormsToOneUrl(String href, String expected) {
    assertThat(Urls.resolve(PAGE, href)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource({"mailto:team@example.org", "javascript:void(0)", "ftp://example.org/x", "a b c%"})
  void resolve_ignoresWhatIsNotAnHttpLink(String href) {
    assertThat(Urls.resolve(PAGE, href)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"not a url", "/relative/only", "file:///etc/passwd", "http://"})
  void normalize_rejectsWhatCannotStartACrawl(String url) {
    assertThat(Urls.normalize(url)).isEqualTo(Optional.empty());
  }

  @ParameterizedTest
  @CsvSource({
    "http://127.0.0.1:8080/s3/page-3.html, http://127.0.0.1:8080",
    "https://example.org/, https://example.org",
  })
  void origin_isSchemeHostAndPort(String url, String origin) {
    assertThat(Urls.origin(url)).isEqualTo(origin);
  }
}
