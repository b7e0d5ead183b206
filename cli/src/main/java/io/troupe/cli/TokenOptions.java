package io.troupe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the commands that talk to a node ({@code submit}, {@code status}, {@code list --node}) find
 * its bearer token, in this order: {@code --token} (which shows in {@code ps}, so it is warned
 * about), {@code TROUPE_HTTP_TOKEN}, {@code --token-file FILE}, and for a node on this machine the
 * node's own token file {@code data/http-token} in the current directory, then under the Troupe
 * home. A node keeps its token there when none is configured, readable by its user only; so the
 * user who started a local node needs no flag. The default files are never sent to a node
 * elsewhere: another machine's node gets only a token given on purpose.
 */
final class TokenOptions {

  /** The environment variable that holds a token (the node reads the same one). */
  static final String VARIABLE = "TROUPE_HTTP_TOKEN";

  /** Where a node keeps its token when none is configured, relative to where it was started. */
  static final Path NODE_FILE = Path.of("data", "http-token");

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "The node's bearer token. Shows in the process list (ps): prefer $"
              + VARIABLE
              + " or --token-file.")
  String token;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "A file holding the node's bearer token (default, for a node on this machine:"
              + " data/http-token here, then under the Troupe home).")
  Path tokenFile;

  /**
   * The token to send and where it came from, for the one line a 401 gets.
   *
   * @param token the token, or "" for none
   * @param source where it came from (null when none was found)
   * @param tried the places looked at, in order
   */
  record NodeToken(String token, String source, List<String> tried) {

    /** Returns the line to print when the node answers 401. */
    String refusedBy(URI node) {
      String fix =
          "give the node's token with "
              + VARIABLE
              + "=... or --token-file FILE (a node without a configured token keeps its own in"
              + " data/http-token under the directory it was started from)";
      if (token.isEmpty()) {
        return "the node at "
            + node
            + " needs its token (401); none found (tried "
            + String.join(", ", tried)
            + "); "
            + fix;
      }
      return "the node at " + node + " refused the token from " + source + " (401); " + fix;
    }
  }

  /**
   * Finds the token for a node from the options, the environment and the default files.
   *
   * @param node the node's URL
   * @param err where the warning about {@code --token} goes
   * @return the token, "" if none was found
   * @throws UsageException if {@code --token-file} cannot be read
   */
  NodeToken resolve(String node, PrintWriter err) {
    return resolve(
        node,
        System.getenv(),
        Path.of("").toAbsolutePath(),
        System.getProperty("troupe.home"),
        err);
  }

  /** As {@link #resolve(String, PrintWriter)}, with the environment and directories given. */
  NodeToken resolve(
      String node, Map<String, String> env, Path workingDir, String home, PrintWriter err) {
    List<String> tried = new ArrayList<>();
    if (token != null && !token.isBlank()) {
      err.println(
          "troupe: warning: --token shows in the process list (ps) to every user of this machine;"
              + " prefer "
              + VARIABLE
              + " or --token-file FILE");
      err.flush();
      return new NodeToken(token.strip(), "--token", List.of("--token"));
    }
    String fromEnv = env.get(VARIABLE);
    tried.add(VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new NodeToken(fromEnv.strip(), VARIABLE, tried);
    }
    if (tokenFile != null) {
      String kept = read(tokenFile);
      if (kept == null) {
        throw new UsageException("--token-file: no such file: " + tokenFile);
      }
      if (kept.isEmpty()) {
        throw new UsageException("--token-file: the file is empty: " + tokenFile);
      }
      return new NodeToken(kept, tokenFile.toString(), List.of("--token-file " + tokenFile));
    }
    tried.add("--token-file");
    if (!onThisMachine(node)) {
      tried.add("no data/http-token, as the node is not on this machine");
      return new NodeToken("", null, tried);
    }
    List<Path> defaults = new ArrayList<>();
    defaults.add(workingDir.resolve(NODE_FILE));
    if (home != null && !home.isBlank()) {
      defaults.add(Path.of(home).toAbsolutePath().resolve(NODE_FILE));
    }
    for (Path file : defaults.stream().map(Path::normalize).distinct().toList()) {
      tried.add(file.toString());
      String kept;
      try {
        kept = read(file);
      } catch (UsageException unreadable) {
        continue; // another user's node: its token is not ours to send
      }
      if (kept != null && !kept.isEmpty()) {
        return new NodeToken(kept, file.toString(), tried);
      }
    }
    return new NodeToken("", null, tried);
  }

  /**
   * Returns the token that {@code troupe cluster up} uses for the nodes it started here: {@code
   * TROUPE_HTTP_TOKEN}, which they inherit, else the token file they keep in this directory.
   *
   * @param node a node's URL
   * @return the token, "" while there is none yet
   */
  static NodeToken forLocalCluster(String node) {
    return new TokenOptions()
        .resolve(
            node,
            System.getenv(),
            Path.of("").toAbsolutePath(),
            null,
            new PrintWriter(java.io.Writer.nullWriter()));
  }

  /** Returns the first line of a file, stripped; null if there is no such file. */
  private static String read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int newline = text.indexOf('\n');
      return (newline < 0 ? text : text.substring(0, newline)).strip();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UsageException("cannot read the token file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Returns true if a node's host is this machine: a loopback name or address, or a name whose
   * every address belongs to one of this machine's interfaces.
   */
  static boolean onThisMachine(String node) {
    String host;
    try {
      host = URI.create(node).getHost();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (host == null) {
      return false;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      for (InetAddress a : addresses) {
        if (!a.isLoopbackAddress() && NetworkInterface.getByInetAddress(a) == null) {
          return false;
        }
      }
      return addresses.length > 0;
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
  }
}
