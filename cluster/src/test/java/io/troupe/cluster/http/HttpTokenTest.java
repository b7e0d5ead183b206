package io.troupe.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's token file: created once, owner-only, never written into when it exists, and refused
 * when it is a link, not a regular file, someone else's, or open to group or others.
 */
final class HttpTokenTest {

  @TempDir Path dir;

  private static String contentOf(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static Path ownerOnly(Path file, String content) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @Test
  void resolve_withoutAConfiguredToken_createsTheFileOwnerOnly_andReadsItAgain() throws Exception {
    Path file = dir.resolve("data/http-token");

    HttpToken.Resolved first = HttpToken.resolve("", file);
    HttpToken.Resolved again = HttpToken.resolve("", file);

    assertThat(first.source()).isEqualTo(HttpToken.Source.GENERATED);
    assertThat(first.token()).hasSizeGreaterThanOrEqualTo(40).matches("[A-Za-z0-9_-]+");
    assertThat(first.file()).isEqualTo(file.toAbsolutePath());
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(contentOf(file)).isEqualTo(first.token() + "\n");
    assertThat(again.source()).isEqualTo(HttpToken.Source.FILE);
    assertThat(again.token()).isEqualTo(first.token());
  }

  @Test
  void resolve_withAConfiguredToken_usesIt_andLeavesNoFile() {
    Path file = dir.resolve("data/http-token");

    HttpToken.Resolved configured = HttpToken.resolve("configured-token", file);

    assertThat(configured.token()).isEqualTo("configured-token");
    assertThat(configured.source()).isEqualTo(HttpToken.Source.CONFIGURED);
    assertThat(file).doesNotExist();
  }

  @Test
  void resolve_whenAnotherProcessCreatedTheFile_readsItsToken_andWritesNothing() throws Exception {
    Path file = ownerOnly(dir.resolve("data/http-token"), "their-token\n");
    long modified = Files.getLastModifiedTime(file).toMillis();

    HttpToken.Resolved resolved = HttpToken.resolve("", file);

    assertThat(resolved.token()).isEqualTo("their-token");
    assertThat(resolved.source()).isEqualTo(HttpToken.Source.FILE);
    assertThat(contentOf(file)).isEqualTo("their-token\n");
    assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);
  }

  @Test
  void resolve_byManyNodesAtOnce_givesThemAllOneToken() throws Exception {
    Path file = dir.resolve("shared/http-token");
    int nodes = 8;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<HttpToken.Resolved>> all = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        all.add(
            pool.submit(
                () -> {
                  go.await();
                  return HttpToken.resolve("", file);
                }));
      }
      go.countDown();
      Set<String> tokens = new HashSet<>();
      int generated = 0;
      for (Future<HttpToken.Resolved> f : all) {
        HttpToken.Resolved r = f.get(30, TimeUnit.SECONDS);
        tokens.add(r.token());
        generated += r.source() == HttpToken.Source.GENERATED ? 1 : 0;
      }
      assertThat(tokens).hasSize(1);
      assertThat(generated).isEqualTo(1);
      assertThat(contentOf(file)).isEqualTo(tokens.iterator().next() + "\n");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void resolve_whenTheFileIsASymlink_refusesToStart_andLeavesTheTargetAlone() throws Exception {
    Path target = ownerOnly(dir.resolve("elsewhere/secret"), "not-a-token-file\n");
    Path file = dir.resolve("data/http-token");
    Files.createDirectories(file.getParent());
    Files.createSymbolicLink(file, target);

    assertThatThrownBy(() -> HttpToken.resolve("", file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toAbsolutePath().toString())
        .hasMessageContaining("symbolic link")
        .hasMessageNotContaining("\n");
    assertThat(contentOf(target)).isEqualTo("not-a-token-file\n");
  }

  @Test
  void resolve_whenTheFileIsADanglingSymlink_createsNothingThroughIt() throws Exception {
    Path target = dir.resolve("elsewhere/planted");
    Files.createDirectories(target.getParent());
    Path file = dir.resolve("data/http-token");
    Files.createDirectories(file.getParent());
    Files.createSymbolicLink(file, target);

    assertThatThrownBy(() -> HttpToken.resolve("", file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("symbolic link");
    assertThat(target).doesNotExist();
  }

  @Test
  void resolve_whenTheFileIsGroupReadable_refusesToStart_namingChmod() throws Exception {
    Path file = ownerOnly(dir.resolve("data/http-token"), "kept-token\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

    assertThatThrownBy(() -> HttpToken.resolve("", file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rw-r-----")
        .hasMessageContaining("chmod 600 " + file.toAbsolutePath());

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-----w-"));
    assertThatThrownBy(() -> HttpToken.resolve("", file)).hasMessageContaining("chmod 600");

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(HttpToken.resolve("", file).token()).isEqualTo("kept-token");
  }

  @Test
  void resolve_whenTheFileBelongsToAnotherUser_refusesToStart() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
    Path file = ownerOnly(dir.resolve("data/http-token"), "someone-elses\n");
    UserPrincipal nobody =
        file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(file, nobody);

    assertThatThrownBy(() -> HttpToken.resolve("", file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("belongs to nobody")
        .hasMessageContaining("chown");
  }

  @Test
  void resolve_whenADirectoryIsInThePlace_orTheFileIsEmpty_refusesToStart() throws Exception {
    Path directory = dir.resolve("data/http-token");
    Files.createDirectories(directory);
    assertThatThrownBy(() -> HttpToken.resolve("", directory))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a regular file");

    Path empty = ownerOnly(dir.resolve("other/http-token"), "");
    assertThatThrownBy(() -> HttpToken.resolve("", empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is empty; remove it");
  }
}
