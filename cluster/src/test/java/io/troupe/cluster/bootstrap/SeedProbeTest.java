package io.troupe.cluster.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

/** Reading a contact point's answer to {@code /bootstrap/seed-nodes}, and contact point syntax. */
final class SeedProbeTest {

  @Test
  void parse_readsSelfAndSeedsInOrder() {
    Formation.Answer answer =
        SeedProbe.parse(
            "{\"self\":\"pekko://troupe@10.0.0.6:2552\",\"seedNodes\":"
                + "[\"pekko://troupe@10.0.0.7:2552\",\"pekko://troupe@10.0.0.5:2552\"]}",
            "troupe");
    assertThat(answer.self()).isEqualTo(new Address("pekko", "troupe", "10.0.0.6", 2552));
    assertThat(answer.seedNodes())
        .containsExactly(
            new Address("pekko", "troupe", "10.0.0.7", 2552),
            new Address("pekko", "troupe", "10.0.0.5", 2552));
    assertThat(
            SeedProbe.parse(
                    "{\"self\":\"pekko://troupe@10.0.0.6:2552\",\"seedNodes\":[]}", "troupe")
                .seedNodes())
        .isEmpty();
  }

  @Test
  void parse_refusesAnswersOfAnotherSystemOrMalformedOnes() {
    for (String body :
        List.of(
            "{\"self\":\"pekko://other@10.0.0.6:2552\",\"seedNodes\":[]}",
            "{\"self\":\"pekko://troupe@10.0.0.6:2552\",\"seedNodes\":[\"pekko://other@h:1\"]}",
            "{\"self\":\"not an address\",\"seedNodes\":[]}",
            "{\"seedNodes\":[]}",
            "<html>not json</html>")) {
      assertThatThrownBy(() -> SeedProbe.parse(body, "troupe"))
          .as(body)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void contactPoint_parse_acceptsHostsPortsAndBracketedIpv6_andRefusesTheRest() {
    assertThat(ContactPoint.parse(" Node-1 ", 8558)).isEqualTo(new ContactPoint("node-1", 8558));
    assertThat(ContactPoint.parse("[::1]:9", 8558)).isEqualTo(new ContactPoint("::1", 9));
    assertThat(new ContactPoint("::1", 9).toString()).isEqualTo("[::1]:9");
    for (String bad :
        List.of("", ":8558", "h:0", "h:70000", "h:x", "::1", "[::1", "[::1]x", "http://h", "u@h")) {
      assertThatThrownBy(() -> ContactPoint.parse(bad, 8558))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
