package io.troupe.examples.crawl;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One blocking HTTP/1.1 {@code GET} to an address the caller resolved and checked, for the
 * sequential crawler. The JDK's HTTP client looks a host's name up itself, so a second answer could
 * differ from the checked one; this connects a socket to the checked address and speaks just enough
 * HTTP/1.1 for a crawl: {@code Connection: close}, no redirects, bodies by length, chunked or until
 * the end, TLS with the host's name for SNI and certificate checks.
 */
final class BlockingGet {

  /** The longest status or header line read. */
  private static final int MAX_LINE = 64 * 1024;

  /** The most header lines read. */
  private static final int MAX_HEADERS = 256;

  /**
   * What the server answered.
   *
   * @param status the status code
   * @param contentType the {@code Content-Type} header, or ""
   * @param body the body of a response whose body was read, else empty
   */
  record Response(int status, String contentType, byte[] body) {}

  /** The body was larger than allowed. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super(Fetcher.TOO_LARGE);
    }
  }

  private BlockingGet() {}

  /**
   * Requests a URL from an address.
   *
   * @param url a normalised http(s) URL (no user info)
   * @param address the address to connect to, checked by the caller
   * @param timeout how long connecting, and each read, may take
   * @param withBody whether to read the body of a response with this status and content type
   * @param maxBody the largest body read
   * @return the response
   * @throws TooLarge if the body is larger than {@code maxBody}
   * @throws IOException if there was no complete response
   */
  static Response get(
      URI url, InetAddress address, Duration timeout, BodyWanted withBody, long maxBody)
      throws IOException {
    boolean https = url.getScheme().equals("https");
    int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
    String host = url.getHost();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(address, port), millis);
      plain.setSoTimeout(millis);
      Socket socket = https ? tls(plain, bare, port) : plain;
      try {
        String target =
            (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        OutputStream out = socket.getOutputStream();
        out.write(
            ("GET "
                    + target
                    + " HTTP/1.1\r\nHost: "
                    + url.getRawAuthority()
                    + "\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
        int status;
        Map<String, String> headers;
        do {
          status = status(line(in));
          headers = headers(in);
        } while (status >= 100 && status < 200); // interim responses precede the real one
        String type = headers.getOrDefault("content-type", "");
        if (status == 204 || status == 304 || !withBody.wanted(status, type)) {
          return new Response(status, type, new byte[0]);
        }
        return new Response(status, type, body(in, headers, maxBody));
      } finally {
        if (socket != plain) {
          socket.close();
        }
      }
    }
  }

  /** Which responses' bodies to read. */
  interface BodyWanted {
    /** Returns whether to read the body of a response with this status and content type. */
    boolean wanted(int status, String contentType);
  }

  private static Socket tls(Socket plain, String host, int port) throws IOException {
    SSLSocket ssl =
        (SSLSocket)
            ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host, port, true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!io.troupe.sdk.internal.Addresses.isLiteral(host)) {
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(parameters);
    ssl.startHandshake();
    return ssl;
  }

  private static int status(String line) throws IOException {
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP response");
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status", e);
    }
  }

  private static Map<String, String> headers(InputStream in) throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; i <= MAX_HEADERS; i++) {
      String line = line(in);
      if (line.isEmpty()) {
        return headers;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    throw new IOException("too many header lines");
  }

  private static byte[] body(InputStream in, Map<String, String> headers, long maxBody)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String encoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
    if (encoding.contains("chunked")) {
      while (true) {
        String size = line(in);
        int semicolon = size.indexOf(';');
        long n;
        try {
          n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size", e);
        }
        if (n == 0) {
          headers(in); // trailers
          return body.toByteArray();
        }
        copy(in, body, n, maxBody);
        line(in);
      }
    }
    String length = headers.get("content-length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length", e);
      }
      copy(in, body, n, maxBody);
    } else {
      copy(in, body, -1, maxBody);
    }
    return body.toByteArray();
  }

  /** Copies n bytes, or up to the end if n is -1, refusing to hold more than max. */
  private static void copy(InputStream in, ByteArrayOutputStream to, long n, long max)
      throws IOException {
    if (n > max - to.size()) {
      throw new TooLarge();
    }
    byte[] buffer = new byte[16 * 1024];
    long left = n;
    while (left != 0) {
      int want = left < 0 ? buffer.length : (int) Math.min(buffer.length, left);
      int read = in.read(buffer, 0, want);
      if (read < 0) {
        if (left < 0) {
          return;
        }
        throw new EOFException("the body ended early");
      }
      if (to.size() + (long) read > max) {
        throw new TooLarge();
      }
      to.write(buffer, 0, read);
      if (left > 0) {
        left -= read;
      }
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the response ended early");
      }
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      if (line.length() >= MAX_LINE) {
        throw new IOException("line too long");
      }
      line.append((char) b);
    }
  }
}
