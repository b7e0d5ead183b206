package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test-host harness itself: a namespace has its own address, is reachable, and goes away. */
final class NetNamespaceIT {

  @TempDir Path dir;

  @Test
  void aNamespaceHasItsOwnReachableAddressAndIsRemovedOnClose() throws Exception {
    NetNamespace.assumeAvailable();
    NetNamespace ns = NetNamespace.create();
    String name = ns.name();
    try {
      assertThat(ns.address()).startsWith("10.213.").isNotEqualTo(ns.hostAddress());
      Process server =
          ns.process("python3", "-m", "http.server", "18080", "--bind", ns.address())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("server.log").toFile())
              .start();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> answers(ns.address(), 18080));
      ns.close();
      assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      ns.close();
    }
    Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String names = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    list.waitFor();
    assertThat(names).doesNotContain(name);
  }

  private static boolean answers(String host, int port) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      return new String(in.readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.0 200");
    }
  }
}
