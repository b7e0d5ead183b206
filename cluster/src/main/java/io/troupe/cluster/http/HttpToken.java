package io.troupe.cluster.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The bearer token a node's mutating routes require: the configured one ({@code
 * troupe.http.token}); none on a loopback-only endpoint without one; otherwise one generated at the
 * node's first start and kept in {@code troupe.http.token-file}, readable by its owner only, and
 * read again on later starts. The token itself is never logged.
 */
final class HttpToken {

  private static final SecureRandom RANDOM = new SecureRandom();

  private HttpToken() {}

  /** What {@link #resolve} decided. */
  public record Resolved(String token, boolean generated, Path file) {}

  /**
   * Returns the token to require.
   *
   * @param settings the endpoint's settings
   * @param file where a generated token is kept
   * @return the token ("" for none) and whether it was generated now
   * @throws UncheckedIOException if the token file cannot be read or written
   */
  public static Resolved resolve(HttpSettings settings, Path file) {
    if (!settings.token().isEmpty()) {
      return new Resolved(settings.token(), false, null);
    }
    if (settings.loopback()) {
      return new Resolved("", false, null);
    }
    try {
      if (Files.isRegularFile(file)) {
        String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!kept.isEmpty()) {
          return new Resolved(kept, false, file);
        }
      }
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      write(file, token);
      return new Resolved(token, true, file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot keep the generated HTTP token in " + file.toAbsolutePath() + ": " + e, e);
    }
  }

  private static void write(Path file, String token) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.deleteIfExists(file);
    Set<PosixFilePermission> ownerOnly =
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException raced) {
      // Another process made it between the delete and here: overwrite below.
    }
    Files.writeString(
        file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
