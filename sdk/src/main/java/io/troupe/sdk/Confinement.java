package io.troupe.sdk;

import io.troupe.sdk.internal.Addresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Where a job may read, write and connect on this node: the node's input roots, output roots and
 * allowed addresses ({@code troupe.pipelines.input-roots}, {@code output-roots}, {@code
 * allow-addresses}). Whoever may submit a job is not trusted with the node's files and network, so
 * a pipeline passes every path and host it takes from its options through this class in {@link
 * Pipeline#validate}:
 *
 * <pre>{@code
 * public void validate(Options o) {
 *   o.input = Confinement.input(o.input, "--input");   // under an input root, real path
 *   o.out = Confinement.output(o.out, "--out");         // its directory under an output root
 *   Confinement.resolve(o.host, "--host");              // not loopback, private, link-local...
 * }
 * }</pre>
 *
 * <p>While the runtime parses a job's options it makes the node's policy {@link #current()}. A
 * refusal is a {@link PipelineUsageException} that names the option and the setting but never the
 * path, so that answers do not tell whether a file outside the roots exists. Workers that connect
 * somewhere check each connection with {@link JobContext#confinement()} ({@link #addresses}) after
 * resolving the name and connect to exactly the address checked.
 *
 * <p>Paths are compared by their real path: symbolic links are resolved, {@code ..} cannot climb
 * out, and a path that does not exist yet is judged by the real path of its deepest existing
 * ancestor. Outside any scope (a pipeline's unit test calling {@link Pipeline#parse} directly) the
 * policy is {@link #local()}.
 */
public final class Confinement {

  private static final ThreadLocal<Confinement> CURRENT = new ThreadLocal<>();

  private final List<Path> inputRoots;
  private final List<Path> outputRoots;
  private final List<Addresses.Range> allowed;

  private Confinement(
      List<Path> inputRoots, List<Path> outputRoots, List<Addresses.Range> allowed) {
    this.inputRoots = inputRoots;
    this.outputRoots = outputRoots;
    this.allowed = allowed;
  }

  /**
   * Creates a policy.
   *
   * @param inputRoots directories jobs may read under; relative ones resolve against the working
   *     directory
   * @param outputRoots directories jobs may write under
   * @param allowAddresses addresses ({@code 127.0.0.1}) or ranges ({@code 10.0.0.0/8}, {@code
   *     fd00::/8}) that jobs may connect to although they are not public
   * @return the policy
   * @throws IllegalArgumentException if an entry of {@code allowAddresses} is not an address
   *     literal or range
   */
  public static Confinement of(
      List<Path> inputRoots, List<Path> outputRoots, List<String> allowAddresses) {
    List<Addresses.Range> ranges = new ArrayList<>();
    for (String a : allowAddresses) {
      ranges.add(Addresses.Range.parse(a));
    }
    return new Confinement(absolute(inputRoots), absolute(outputRoots), List.copyOf(ranges));
  }

  /**
   * Returns the policy of a local user: the working directory is the only input and output root,
   * and loopback addresses are allowed. {@code troupe run} and the test kit default to it.
   *
   * @return the policy
   */
  public static Confinement local() {
    Path here = Path.of("");
    return of(List.of(here), List.of(here), List.of("127.0.0.0/8", "::1"));
  }

  private static List<Path> absolute(List<Path> roots) {
    return roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /**
   * Returns the policy options are being parsed under: the node's, while the runtime parses a job;
   * else {@link #local()}.
   *
   * @return the current policy
   */
  public static Confinement current() {
    Confinement c = CURRENT.get();
    return c == null ? local() : c;
  }

  /**
   * Runs code with a policy current on this thread; the runtime wraps option parsing in it.
   *
   * @param confinement the policy
   * @param body what to run
   * @param <T> its result's type
   * @return the body's result
   */
  public static <T> T within(Confinement confinement, Supplier<T> body) {
    Objects.requireNonNull(body, "body");
    try {
      return call(confinement, body::get);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("a supplier threw a checked exception", e);
    }
  }

  /**
   * Runs code that may throw with a policy current on this thread.
   *
   * @param confinement the policy
   * @param body what to run
   * @param <T> its result's type
   * @return the body's result
   * @throws Exception what the body throws
   */
  public static <T> T call(Confinement confinement, Callable<T> body) throws Exception {
    Objects.requireNonNull(confinement, "confinement");
    Confinement before = CURRENT.get();
    CURRENT.set(confinement);
    try {
      return body.call();
    } finally {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }

  /**
   * Checks a path a job reads, under the {@link #current()} policy.
   *
   * @param path the path as given; relative to the working directory
   * @param option the option's name for messages, e.g. {@code "--input"}
   * @return its real path, to be used instead of the given one
   * @throws PipelineUsageException if it is not under an input root (the message does not name it),
   *     or if it does not exist
   */
  public static Path input(Path path, String option) {
    Confinement c = current();
    Path real = c.under(path, c.inputRoots);
    if (real == null) {
      throw new PipelineUsageException(
          option
              + ": not under an input root of this node (troupe.pipelines.input-roots or TROUPE_INPUT_ROOTS)");
    }
    if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new PipelineUsageException(option + ": no such file or directory: " + path);
    }
    return real;
  }

  /**
   * Checks a file a job writes, under the {@link #current()} policy: its directory must be under an
   * output root, and the file must not be a symbolic link. Whether the directory exists is left to
   * the pipeline (it may be another node's).
   *
   * @param path the file as given; relative to the working directory
   * @param option the option's name for messages, e.g. {@code "--out"}
   * @return the file in its directory's real path, to be used instead of the given one
   * @throws PipelineUsageException if it is not under an output root (the message does not name
   *     it), or if it is a symbolic link
   */
  public static Path output(Path path, String option) {
    Confinement c = current();
    Path file = path.toAbsolutePath().normalize();
    Path name = file.getFileName();
    Path dir = file.getParent();
    Path realDir = name == null || dir == null ? null : c.under(dir, c.outputRoots);
    if (realDir == null) {
      throw new PipelineUsageException(
          option
              + ": not under an output root of this node (troupe.pipelines.output-roots or TROUPE_OUTPUT_ROOTS)");
    }
    Path real = realDir.resolve(name);
    if (Files.isSymbolicLink(real)) {
      throw new PipelineUsageException(
          option + ": is a symbolic link; name a new file or a regular one");
    }
    return real;
  }

  /**
   * Resolves a host a job will connect to and checks its addresses, under the {@link #current()}
   * policy. A host is refused if any of its addresses is refused.
   *
   * @param host a name or address literal, as a URL carries it
   * @param option the option's name for messages, e.g. {@code "--url"}
   * @return its addresses; empty if the name does not resolve here (connecting will fail)
   * @throws PipelineUsageException if an address is not public and not allowed
   */
  public static List<InetAddress> resolve(String host, String option) {
    Confinement c = current();
    List<InetAddress> addresses;
    try {
      addresses = List.of(InetAddress.getAllByName(bare(host)));
    } catch (UnknownHostException e) {
      return List.of();
    }
    for (InetAddress a : addresses) {
      Optional<String> refused = c.refusal(a);
      if (refused.isPresent()) {
        String subject = Addresses.isLiteral(host) ? host + " is " : host + " resolves to ";
        throw new PipelineUsageException(
            option
                + ": "
                + subject
                + refused.get()
                + ", which this node connects to only if troupe.pipelines.allow-addresses lists"
                + " it");
      }
    }
    return addresses;
  }

  /**
   * Resolves a host for a connection and checks every address it has; connect to one of those
   * returned, never to the name again, so that a second answer cannot differ from the checked one.
   *
   * @param host a name or address literal
   * @return its addresses, all allowed
   * @throws UnknownHostException if it does not resolve
   * @throws AddressNotAllowedException if any of its addresses is refused
   */
  public List<InetAddress> addresses(String host) throws IOException {
    List<InetAddress> addresses = List.of(InetAddress.getAllByName(bare(host)));
    for (InetAddress a : addresses) {
      if (refusal(a).isPresent()) {
        throw new AddressNotAllowedException();
      }
    }
    return addresses;
  }

  /**
   * Returns whether a job may connect to an address: a public unicast address, or one the
   * allow-list names.
   *
   * @param address the address
   * @return true if allowed
   */
  public boolean isAllowed(InetAddress address) {
    return refusal(address).isEmpty();
  }

  /**
   * Returns why a job may not connect to an address.
   *
   * @param address the address
   * @return the kind of address, e.g. {@code "a link-local address"}, or empty if it is allowed
   */
  public Optional<String> refusal(InetAddress address) {
    Optional<String> kind = Addresses.kind(address);
    if (kind.isEmpty()) {
      return kind;
    }
    for (Addresses.Range r : allowed) {
      if (r.contains(address)) {
        return Optional.empty();
      }
    }
    return kind;
  }

  /** Returns the input roots, absolute. */
  public List<Path> inputRoots() {
    return inputRoots;
  }

  /** Returns the output roots, absolute. */
  public List<Path> outputRoots() {
    return outputRoots;
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /**
   * Returns the real path of {@code path} if it is under one of the roots, else null. The path is
   * first normalized as written, which touches no file, and must then lie under a root as
   * configured or as its real path; only then is the file system asked, inside that root, so that
   * the answer does not depend on anything outside the roots.
   */
  private Path under(Path path, List<Path> roots) {
    Path lexical = path.toAbsolutePath().normalize();
    List<Path> realRoots = new ArrayList<>();
    boolean inside = false;
    for (Path root : roots) {
      Path realRoot = real(root);
      if (realRoot != null) {
        realRoots.add(realRoot);
      }
      inside |= lexical.startsWith(root) || (realRoot != null && lexical.startsWith(realRoot));
    }
    if (!inside) {
      return null;
    }
    Path real = real(lexical);
    if (real == null) {
      return null;
    }
    for (Path realRoot : realRoots) {
      if (real.startsWith(realRoot)) {
        return real;
      }
    }
    return null;
  }

  /**
   * Returns the real path of an absolute, normalized path; of a path that does not exist, the real
   * path of its deepest existing ancestor with the rest appended. Null if an existing part cannot
   * be resolved (a dangling or looping link, no permission).
   */
  private static Path real(Path absolute) {
    Deque<Path> missing = new ArrayDeque<>();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      missing.push(existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) {
      return null;
    }
    Path real;
    try {
      real = existing.toRealPath();
    } catch (IOException e) {
      return null;
    }
    for (Path name : missing) {
      real = real.resolve(name);
    }
    return real;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Confinement c
        && c.inputRoots.equals(inputRoots)
        && c.outputRoots.equals(outputRoots)
        && c.allowed.equals(allowed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputRoots, outputRoots, allowed);
  }

  @Override
  public String toString() {
    return "input roots "
        + inputRoots
        + ", output roots "
        + outputRoots
        + ", allowed addresses "
        + allowed;
  }

  /**
   * A connection refused because an address of the host is not public and not in {@code
   * troupe.pipelines.allow-addresses}. Its message names neither host nor address.
   */
  public static final class AddressNotAllowedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public AddressNotAllowedException() {
      super("address not allowed on this node (troupe.pipelines.allow-addresses)");
    }
  }
}
