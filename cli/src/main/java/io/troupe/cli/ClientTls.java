package io.troupe.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the CLI trusts a node it reaches over HTTPS: the JDK's default trust store, or the PKCS12
 * trust store {@code TROUPE_TLS_TRUSTSTORE} names, opened with {@code TROUPE_TLS_PASSWORD} (the
 * variables {@code config/security/tls.conf} reads too). The certificate must also name the host
 * the URL uses: hostname verification stays on.
 */
final class ClientTls {

  static final String TRUSTSTORE = "TROUPE_TLS_TRUSTSTORE";
  static final String PASSWORD = "TROUPE_TLS_PASSWORD";

  private ClientTls() {}

  /**
   * Returns a client builder for {@code node}: with the trust store of {@code
   * TROUPE_TLS_TRUSTSTORE} for an {@code https} URL when it is set, else the JDK's defaults.
   *
   * @throws UsageException if the trust store cannot be read or opened
   */
  static HttpClient.Builder builder(URI node) {
    return builder(node, System.getenv());
  }

  static HttpClient.Builder builder(URI node, Map<String, String> env) {
    HttpClient.Builder builder = HttpClient.newBuilder();
    String store = env.getOrDefault(TRUSTSTORE, "");
    if ("https".equals(node.getScheme()) && !store.isEmpty()) {
      builder.sslContext(trusting(Path.of(store), env.getOrDefault(PASSWORD, "")));
    }
    return builder;
  }

  /** An SSL context that trusts what the trust store at {@code path} holds, and nothing else. */
  static SSLContext trusting(Path path, String password) {
    KeyStore trusted;
    try (InputStream in = Files.newInputStream(path)) {
      trusted = KeyStore.getInstance("PKCS12");
      trusted.load(in, password.isEmpty() ? null : password.toCharArray());
    } catch (NoSuchFileException e) {
      throw new UsageException(TRUSTSTORE + ": no such file: " + path);
    } catch (IOException e) {
      throw new UsageException(
          TRUSTSTORE
              + ": cannot open "
              + path
              + " as a PKCS12 trust store"
              + (e.getCause() instanceof java.security.UnrecoverableKeyException
                  ? " with " + PASSWORD
                  : ": " + e.getMessage()));
    } catch (GeneralSecurityException e) {
      throw new UsageException(TRUSTSTORE + ": cannot read " + path + ": " + e.getMessage());
    }
    try {
      if (trusted.size() == 0) {
        throw new UsageException(
            TRUSTSTORE
                + ": "
                + path
                + " holds no certificate"
                + (password.isEmpty() ? " it can read without a password; set " + PASSWORD : ""));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new UsageException(TRUSTSTORE + ": cannot use " + path + ": " + e.getMessage());
    }
  }

  /**
   * Explains a failed TLS handshake with {@code node} in one line: a certificate the client cannot
   * verify (not trusted, or not naming the host) or a node that does not speak TLS.
   */
  static UsageException failure(URI node, IOException e) {
    Throwable root = e;
    boolean certificate = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      certificate |= t instanceof CertificateException;
      root = t;
    }
    String reason = String.valueOf(root.getMessage()).replaceAll("\\s+", " ").strip();
    if (certificate) {
      return new UsageException(
          "cannot verify the node's certificate at "
              + node
              + ": "
              + reason
              + "; set "
              + TRUSTSTORE
              + " (and "
              + PASSWORD
              + ") to a trust store that holds it or its CA, and use a host name or address the"
              + " certificate names");
    }
    return new UsageException(
        "no TLS connection to " + node + ": " + reason + "; does the node serve HTTPS there?");
  }
}
