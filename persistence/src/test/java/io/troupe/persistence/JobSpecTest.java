package io.troupe.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A job's spec is logged, listed and stored: it never holds a URL's credentials. */
final class JobSpecTest {

  @ParameterizedTest
  @CsvSource({
    "http://user:secret@127.0.0.1:8080/a, http://127.0.0.1:8080/a",
    "--url=https://user:secret@example.org/x?y=1, --url=https://example.org/x?y=1",
    "HTTPS://token@example.org, HTTPS://example.org",
    "http://a@b:p@ss@example.org/, http://example.org/",
    "postgresql://app:pw@db.internal:5432/ledger, postgresql://db.internal:5432/ledger",
    "'see http://u:p@one.example/ and ftp://v:q@two.example/', 'see http://one.example/ and"
        + " ftp://two.example/'",
  })
  void credentialsInUrls_areStripped(String given, String stored) {
    JobSpec spec = new JobSpec("job-1", "crawl", List.of("--url", given));

    assertThat(spec.args()).containsExactly("--url", stored);
    assertThat(String.join(" ", spec.args())).doesNotContain("secret");
  }

  @ParameterizedTest
  @CsvSource({
    "http://example.org/path?mail=a@b.example",
    "http://example.org/#x@y",
    "mailto:team@example.org",
    "someone@example.org",
    "--top",
    "/data/a@b.txt",
  })
  void argumentsWithoutUserInfo_stayAsTheyAre(String arg) {
    assertThat(new JobSpec("job-1", "p", List.of(arg)).args()).containsExactly(arg);
  }

  @Test
  void priority_defaultsToOne_zeroFromOldRecordsIsTheDefault_andIsBounded() {
    assertThat(new JobSpec("j", "p", List.of()).priority()).isEqualTo(JobSpec.DEFAULT_PRIORITY);
    assertThat(new JobSpec("j", "p", List.of(), 1L, 0).priority()).isEqualTo(1);
    assertThat(new JobSpec("j", "p", List.of(), 1L, 1000).priority()).isEqualTo(1000);
    assertThatThrownBy(() -> new JobSpec("j", "p", List.of(), 1L, 1001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("priority must be from 1 to 1000, was 1001");
    assertThatThrownBy(() -> new JobSpec("j", "p", List.of(), 1L, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
