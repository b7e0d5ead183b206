package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Loopback is decided by every address a name resolves to, not by how the name looks. Names other
 * than {@code localhost} go through a fake resolver: no test asks DNS.
 */
final class LoopbackTest {

  /** Resolves only the names given, address literals as themselves; nothing goes to DNS. */
  private static final Loopback.Resolver DNS =
      host -> {
        String[] addresses =
            Map.of(
                    "localhost", new String[] {"127.0.0.1", "::1"},
                    "loopback-alias", new String[] {"127.0.1.1"},
                    "loopback.internal", new String[] {"127.0.0.2", "::1"},
                    "split-horizon", new String[] {"127.0.0.1", "10.1.2.3"},
                    "db.internal", new String[] {"127.0.0.1", "192.0.2.10"},
                    "node1.internal", new String[] {"10.1.2.3"},
                    "127.evil.example", new String[] {"203.0.113.7"})
                .get(host);
        if (addresses == null) {
          if (host.isEmpty() || (!Character.isDigit(host.charAt(0)) && !host.contains(":"))) {
            throw new UnknownHostException(host);
          }
          addresses = new String[] {host};
        }
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
          resolved[i] = InetAddress.getByName(addresses[i]); // literals only: no lookup
        }
        return resolved;
      };

  @Test
  void loopback_isDecidedByEveryResolvedAddress_notByHowTheNameLooks() {
    assertThat(Loopback.only("127.0.0.1", DNS)).isTrue();
    assertThat(Loopback.only("127.0.0.2", DNS)).isTrue();
    assertThat(Loopback.only("::1", DNS)).isTrue();
    assertThat(Loopback.only("localhost", DNS)).isTrue();
    assertThat(Loopback.only("loopback-alias", DNS)).isTrue();
    assertThat(Loopback.only("loopback.internal", DNS)).isTrue();

    assertThat(Loopback.only("0.0.0.0", DNS)).isFalse();
    assertThat(Loopback.only("::", DNS)).isFalse();
    assertThat(Loopback.only("", DNS)).isFalse();
    assertThat(Loopback.only("10.1.2.3", DNS)).isFalse();
    assertThat(Loopback.only("192.168.1.5", DNS)).isFalse();
    assertThat(Loopback.only("node1.internal", DNS)).isFalse();
    assertThat(Loopback.only("split-horizon", DNS)).isFalse();
    assertThat(Loopback.only("db.internal", DNS)).isFalse();
    assertThat(Loopback.only("127.evil.example", DNS))
        .as("a name that starts like a loopback address is not one")
        .isFalse();
    assertThat(Loopback.only("no-such-host", DNS))
        .as("a name that does not resolve is not known to be loopback")
        .isFalse();
  }

  @Test
  void loopback_ofLiteralsAndLocalhost_withTheRealResolver() {
    assertThat(Loopback.only("127.0.0.1")).isTrue();
    assertThat(Loopback.only("127.5.6.7")).isTrue();
    assertThat(Loopback.only("::1")).isTrue();
    assertThat(Loopback.only("localhost")).isTrue();
    assertThat(Loopback.only("0.0.0.0")).isFalse();
    assertThat(Loopback.only("192.0.2.1")).isFalse();
  }
}
