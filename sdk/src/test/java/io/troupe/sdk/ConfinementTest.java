package io.troupe.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The confinement of job options: paths by real path under the roots, without revealing anything
 * outside them; addresses classified from literals only, so no test here sends any traffic.
 */
final class ConfinementTest {

  @TempDir Path dir;

  private Path root;
  private Path outside;
  private Confinement policy;

  @BeforeEach
  void roots() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.writeString(root.resolve("words.txt"), "words");
    policy = Confinement.of(List.of(root), List.of(root), List.of());
  }

  private Path input(Path path) {
    return Confinement.within(policy, () -> Confinement.input(path, "--input"));
  }

  private Path output(Path path) {
    return Confinement.within(policy, () -> Confinement.output(path, "--out"));
  }

  @Test
  void input_underARoot_isItsRealPath() throws Exception {
    assertThat(input(root.resolve("words.txt"))).isEqualTo(root.resolve("words.txt").toRealPath());
    assertThat(input(root)).isEqualTo(root.toRealPath());
  }

  @Test
  void input_outsideTheRoots_isRefusedWithoutNamingIt() {
    for (Path p :
        List.of(outside.resolve("secret.txt"), outside.resolve("absent.txt"), Path.of("/"))) {
      assertThatThrownBy(() -> input(p))
          .isInstanceOf(PipelineUsageException.class)
          .hasMessage(
              "--input: not under an input root of this node (troupe.pipelines.input-roots or TROUPE_INPUT_ROOTS)")
          .message()
          .doesNotContain(p.toString());
    }
  }

  @Test
  void input_climbingOutWithDotDot_isRefused() {
    Path escape = root.resolve("../outside/secret.txt");
    Path missingThenUp = root.resolve("missing/../../outside/secret.txt");

    assertThatThrownBy(() -> input(escape)).hasMessageContaining("not under an input root");
    assertThatThrownBy(() -> input(missingThenUp)).hasMessageContaining("not under an input root");
  }

  @Test
  void input_throughASymlinkOutOfTheRoot_isRefused_existingOrNot() throws Exception {
    Files.createSymbolicLink(root.resolve("file-link"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("dir-link"), outside);
    Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("absent.txt"));

    for (String p :
        List.of(
            "file-link", "dir-link/secret.txt", "dir-link/absent.txt", "dangling", "dir-link")) {
      assertThatThrownBy(() -> input(root.resolve(p)))
          .as(p)
          .hasMessage(
              "--input: not under an input root of this node (troupe.pipelines.input-roots or TROUPE_INPUT_ROOTS)");
    }
  }

  @Test
  void input_aSymlinkThatStaysInTheRoot_isFollowed() throws Exception {
    Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("words.txt"));

    assertThat(input(root.resolve("alias.txt"))).isEqualTo(root.resolve("words.txt").toRealPath());
  }

  @Test
  void input_missingUnderARoot_saysSo() {
    Path missing = root.resolve("nested/absent.txt");

    assertThatThrownBy(() -> input(missing))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessage("--input: no such file or directory: " + missing);
  }

  @Test
  void input_aRootThatIsASymlink_admitsPathsThroughEitherName() throws Exception {
    Path alias = Files.createSymbolicLink(dir.resolve("alias-root"), root);
    Confinement viaAlias = Confinement.of(List.of(alias), List.of(), List.of());

    Path byAlias =
        Confinement.within(viaAlias, () -> Confinement.input(alias.resolve("words.txt"), "--in"));
    Path byTarget =
        Confinement.within(viaAlias, () -> Confinement.input(root.resolve("words.txt"), "--in"));

    assertThat(byAlias).isEqualTo(byTarget).isEqualTo(root.resolve("words.txt").toRealPath());
  }

  @Test
  void output_inADirectoryUnderARoot_isTheFileInItsRealDirectory() throws Exception {
    assertThat(output(root.resolve("picture.png")))
        .isEqualTo(root.toRealPath().resolve("picture.png"));
    assertThat(output(root.resolve("new/dir/picture.png")))
        .isEqualTo(root.toRealPath().resolve("new/dir/picture.png"));
  }

  @Test
  void output_outsideTheRoots_isRefusedWithoutNamingIt() throws Exception {
    Files.createSymbolicLink(root.resolve("dir-link"), outside);
    for (Path p :
        List.of(
            outside.resolve("evil.png"),
            root.resolve("../outside/evil.png"),
            root.resolve("dir-link/evil.png"),
            Path.of("/evil.png"))) {
      assertThatThrownBy(() -> output(p))
          .as(p.toString())
          .isInstanceOf(PipelineUsageException.class)
          .hasMessage(
              "--out: not under an output root of this node (troupe.pipelines.output-roots or TROUPE_OUTPUT_ROOTS)");
    }
    assertThat(outside.resolve("evil.png")).doesNotExist();
  }

  @Test
  void output_aSymlinkAsTheTarget_isRefused() throws Exception {
    Files.createSymbolicLink(root.resolve("link.png"), outside.resolve("victim.png"));

    assertThatThrownBy(() -> output(root.resolve("link.png")))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageContaining("--out: is a symbolic link");
  }

  @Test
  void current_outsideAnyScope_isTheLocalPolicy_insideItIsTheGivenOne() {
    assertThat(Confinement.current()).isEqualTo(Confinement.local());
    assertThat(Confinement.within(policy, Confinement::current)).isSameAs(policy);
    assertThat(Confinement.current()).isEqualTo(Confinement.local());
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "169.254.169.254, a link-local address",
    "10.1.2.3, a private address",
    "172.16.0.1, a private address",
    "172.31.255.255, a private address",
    "192.168.1.1, a private address",
    "100.64.0.1, a shared (carrier-grade NAT) address",
    "127.0.0.1, a loopback address",
    "127.255.0.9, a loopback address",
    "0.0.0.0, an unspecified (this-network) address",
    "255.255.255.255, a reserved or broadcast address",
    "224.0.0.1, a multicast address",
    "::1, a loopback address",
    "::, an unspecified address",
    "fe80::1, a link-local address",
    "fc00::1, a unique-local (private) address",
    "fd12:3456::1, a unique-local (private) address",
    "ff02::1, a multicast address",
    "::ffff:127.0.0.1, a loopback address",
    "::ffff:169.254.169.254, a link-local address",
    "::10.0.0.1, a private address",
    "64:ff9b::a9fe:a9fe, a link-local address",
    "2002:c0a8:0101::1, a private address",
  })
  void addresses_thatAreNotPublic_areRefused(String literal, String kind) throws Exception {
    Confinement none = Confinement.of(List.of(), List.of(), List.of());
    InetAddress address = InetAddress.getByName(literal); // a literal: parsed, not looked up

    assertThat(none.isAllowed(address)).isFalse();
    assertThat(none.refusal(address)).contains(kind);
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111"})
  void publicAddresses_areAllowed(String literal) throws Exception {
    Confinement none = Confinement.of(List.of(), List.of(), List.of());

    assertThat(none.isAllowed(InetAddress.getByName(literal))).isTrue();
  }

  @Test
  void theAllowList_admitsWhatItNames_andNothingElse() throws Exception {
    Confinement lab = Confinement.of(List.of(), List.of(), List.of("10.0.0.0/8", "127.0.0.1"));

    assertThat(lab.isAllowed(InetAddress.getByName("10.200.3.4"))).isTrue();
    assertThat(lab.isAllowed(InetAddress.getByName("::ffff:10.200.3.4"))).isTrue();
    assertThat(lab.isAllowed(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(lab.isAllowed(InetAddress.getByName("127.0.0.2"))).isFalse();
    assertThat(lab.isAllowed(InetAddress.getByName("192.168.0.1"))).isFalse();
    assertThat(lab.isAllowed(InetAddress.getByName("169.254.169.254"))).isFalse();
    assertThat(Confinement.local().isAllowed(InetAddress.getByName("::1"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "10.0.0.0/33", "10.0.0", "fe80::1%eth0", "10.0.0.0/x"})
  void theAllowList_takesLiteralsOnly(String entry) {
    assertThatThrownBy(() -> Confinement.of(List.of(), List.of(), List.of(entry)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(entry.contains("/") ? "prefix" : "not an IP address literal");
  }

  @Test
  void resolve_ofARefusedLiteral_namesTheKindAndTheSetting() {
    Confinement none = Confinement.of(List.of(), List.of(), List.of());

    assertThatThrownBy(
            () -> Confinement.within(none, () -> Confinement.resolve("169.254.169.254", "--url")))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessage(
            "--url: 169.254.169.254 is a link-local address, which this node connects to only if"
                + " troupe.pipelines.allow-addresses lists it");
    assertThatThrownBy(() -> Confinement.within(none, () -> Confinement.resolve("[::1]", "--url")))
        .hasMessageContaining("is a loopback address");
    assertThat(Confinement.resolve("127.0.0.1", "--url"))
        .as("allowed by the local policy")
        .hasSize(1);
  }

  @Test
  void addresses_ofARefusedHost_throwsWithoutNamingIt() {
    Confinement none = Confinement.of(List.of(), List.of(), List.of());

    assertThatThrownBy(() -> none.addresses("10.9.8.7"))
        .isInstanceOf(Confinement.AddressNotAllowedException.class)
        .hasMessage("address not allowed on this node (troupe.pipelines.allow-addresses)");
  }
}
