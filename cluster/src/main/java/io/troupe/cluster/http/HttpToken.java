package io.troupe.cluster.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The bearer token of a node's HTTP endpoint. Every node has one, loopback included: the configured
 * one ({@code troupe.http.token}, {@code TROUPE_HTTP_TOKEN}), or the one kept in {@code
 * troupe.http.token-file}, generated at the first start. The token itself is never logged.
 *
 * <p>Implementation notes: several nodes started from one directory share one token file, and the
 * local CLI reads it. The file is created with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS},
 * owner-only from its creation, so a process writes only into a file it made itself; whoever loses
 * the race to create it reads the winner's token instead. A file this process did not create is
 * used only if it is a regular file (not a symbolic link), owned by the user running the node, and
 * neither readable nor writable by group or others; otherwise the node refuses to start with one
 * line naming the fix. The file is read without following links, so a link swapped in between the
 * check and the read is refused too.
 */
final class HttpToken {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The longest token file read; a token is far shorter. */
  private static final int MAX_BYTES = 4096;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private HttpToken() {}

  /** Where the token came from. */
  enum Source {
    /** {@code troupe.http.token} or {@code TROUPE_HTTP_TOKEN}. */
    CONFIGURED,
    /** Generated now into the token file. */
    GENERATED,
    /** Read from the token file, kept there earlier or by another process. */
    FILE
  }

  /**
   * What {@link #resolve} decided.
   *
   * @param token the token, never empty
   * @param source where it came from
   * @param file the token file, or null for a configured token
   */
  record Resolved(String token, Source source, Path file) {}

  /**
   * Returns the token the endpoint requires.
   *
   * @param configured the configured token, or "" for none
   * @param file where the node's own token is kept (relative to the working directory)
   * @return the token and where it came from
   * @throws IllegalStateException with one line naming the fix if the token file cannot be created
   *     or read, or is not safe to use
   */
  static Resolved resolve(String configured, Path file) {
    if (!configured.isEmpty()) {
      return new Resolved(configured, Source.CONFIGURED, null);
    }
    Path absolute = file.toAbsolutePath().normalize();
    try {
      Path parent = absolute.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      String token = generate();
      if (create(absolute, token)) {
        return new Resolved(token, Source.GENERATED, absolute);
      }
      return new Resolved(readKept(absolute), Source.FILE, absolute);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot keep the HTTP token in "
              + absolute
              + " (troupe.http.token-file): "
              + describe(e)
              + "; set troupe.http.token-file to a writable place or give a token in"
              + " TROUPE_HTTP_TOKEN",
          e);
    }
  }

  private static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Creates the file with the token; returns false if it exists already (then nothing is written).
   */
  private static boolean create(Path file, String token) throws IOException {
    Set<OpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    FileAttribute<?>[] ownerOnly =
        posix(file)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    try (SeekableByteChannel channel = Files.newByteChannel(file, options, ownerOnly)) {
      ByteBuffer bytes = ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      if (channel instanceof FileChannel fc) {
        fc.force(true);
      }
      return true;
    } catch (FileAlreadyExistsException exists) {
      // Kept from an earlier start, made by another node started from the same directory, or
      // something else in its place (a link, a directory): read and checked, never written.
      return false;
    }
  }

  /** Reads a token file this process did not create, after checking it is safe to use. */
  private static String readKept(Path file) throws IOException {
    // Another node may have created the file an instant ago and not have written it yet: a token
    // is one short write, so an empty file is read again a few times before it is an error.
    for (int attempt = 0; ; attempt++) {
      check(file);
      String token = read(file);
      if (!token.isEmpty()) {
        return token;
      }
      if (attempt == 20) {
        throw new IllegalStateException(
            "the HTTP token file " + file + " is empty; remove it and the node generates a token");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading " + file, e);
      }
    }
  }

  /** Refuses a token file that is a link, not a regular file, someone else's, or not private. */
  private static void check(Path file) throws IOException {
    if (!posix(file)) {
      BasicFileAttributes basic =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      checkType(file, basic);
      return;
    }
    PosixFileAttributes attributes =
        Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    checkType(file, attributes);
    UserPrincipal me = currentUser(file);
    if (me != null && !attributes.owner().equals(me)) {
      throw new IllegalStateException(
          "the HTTP token file "
              + file
              + " belongs to "
              + attributes.owner().getName()
              + ", not to "
              + me.getName()
              + " who runs this node; remove it (the node then generates a token) or fix it with:"
              + " chown "
              + me.getName()
              + " "
              + file);
    }
    Set<PosixFilePermission> others = EnumSet.copyOf(attributes.permissions());
    others.removeAll(
        EnumSet.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE));
    if (!others.isEmpty()) {
      throw new IllegalStateException(
          "the HTTP token file "
              + file
              + " is open to group or others ("
              + PosixFilePermissions.toString(attributes.permissions())
              + "); fix it with: chmod 600 "
              + file);
    }
  }

  private static void checkType(Path file, BasicFileAttributes attributes) {
    if (attributes.isSymbolicLink()) {
      throw new IllegalStateException(
          "the HTTP token file "
              + file
              + " is a symbolic link; a token file must be a regular file: remove the link (the"
              + " node then generates a token) or set troupe.http.token-file to the file itself");
    }
    if (!attributes.isRegularFile()) {
      throw new IllegalStateException(
          "the HTTP token file "
              + file
              + " is not a regular file; remove it or set troupe.http.token-file elsewhere");
    }
  }

  private static String read(Path file) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    try (SeekableByteChannel channel = Files.newByteChannel(file, options)) {
      ByteBuffer buffer = ByteBuffer.allocate(MAX_BYTES);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // read until full or at the end
      }
      buffer.flip();
      return StandardCharsets.UTF_8.decode(buffer).toString().strip();
    }
  }

  /**
   * Returns the user this process runs as: the owner of {@code /proc/self} where there is one (the
   * effective user, even without a name in the user database), else the user named by {@code
   * user.name}; null if neither can be told (then ownership is not checked).
   */
  private static UserPrincipal currentUser(Path file) {
    try {
      Path self = Path.of("/proc/self");
      if (Files.exists(self)) {
        return Files.getOwner(self);
      }
      return file.getFileSystem()
          .getUserPrincipalLookupService()
          .lookupPrincipalByName(System.getProperty("user.name"));
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  private static boolean posix(Path file) {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory: " + e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.toString();
  }
}
