package io.troupe.cluster.http;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.ServerBuilder;

/**
 * HTTPS for a node's endpoint, read from {@code troupe.http.tls} (documented in {@code
 * reference.conf}): the node's key and certificate from a PKCS12 key store, by default the one and
 * the passwords Artery uses ({@code pekko.remote.artery.ssl.config-ssl-engine}).
 *
 * <p>The key store is opened when the settings are read, so a node can refuse to start, before it
 * binds anything, when it is missing, unreadable, holds no key or does not open with its password;
 * the error names the setting that points at it.
 */
public final class HttpTls {

  private static final String ARTERY = "pekko.remote.artery.ssl.config-ssl-engine.";
  private static final String TLS = "troupe.http.tls.";

  private final Optional<SSLContext> context;
  private final List<String> protocols;

  private HttpTls(Optional<SSLContext> context, List<String> protocols) {
    this.context = context;
    this.protocols = protocols;
  }

  /**
   * Reads the settings and, when HTTPS is on, opens the key store.
   *
   * @param config the node's full config
   * @return the endpoint's TLS: off, or a context ready to serve
   * @throws IllegalArgumentException with one line naming the setting, if HTTPS is on and the key
   *     store cannot be read or opened, or a protocol is not one this JVM has
   */
  public static HttpTls create(Config config) {
    if (!config.getBoolean(TLS + "enabled")) {
      return new HttpTls(Optional.empty(), List.of());
    }
    Setting store = setting(config, "key-store", "key-store");
    Setting storePassword = setting(config, "key-store-password", "key-store-password");
    Setting keyPassword = setting(config, "key-password", "key-password");
    KeyStore keys = open(store, storePassword);
    Path where = Path.of(store.value()).toAbsolutePath();
    try {
      if (Collections.list(keys.aliases()).stream().noneMatch(a -> isKey(keys, a))) {
        throw new IllegalArgumentException(
            "the HTTPS key store " + where + " (" + store.name() + ") holds no private key");
      }
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keys, keyPassword.value().toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      List<String> protocols = config.getStringList(TLS + "protocols");
      List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
      if (protocols.isEmpty() || !supported.containsAll(protocols)) {
        throw new IllegalArgumentException(
            TLS + "protocols must list TLS versions this JVM supports (" + supported + ")");
      }
      return new HttpTls(Optional.of(context), List.copyOf(protocols));
    } catch (UnrecoverableKeyException e) {
      throw new IllegalArgumentException(
          "the key in the HTTPS key store "
              + where
              + " does not open with the password of "
              + keyPassword.name()
              + pointer(keyPassword));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot use the HTTPS key store "
              + where
              + " ("
              + store.name()
              + "): "
              + oneLine(e.getMessage()));
    }
  }

  /** Returns whether the endpoint serves HTTPS. */
  public boolean enabled() {
    return context.isPresent();
  }

  /** Returns the endpoint's URL scheme: {@code https} or {@code http}. */
  public String scheme() {
    return enabled() ? "https" : "http";
  }

  /** Makes {@code server} serve HTTPS when it is on; returns it unchanged otherwise. */
  ServerBuilder applyTo(ServerBuilder server) {
    if (context.isEmpty()) {
      return server;
    }
    SSLContext ssl = context.get();
    String[] enabled = protocols.toArray(String[]::new);
    return server.enableHttps(
        ConnectionContext.httpsServer(
            () -> {
              SSLEngine engine = ssl.createSSLEngine();
              engine.setUseClientMode(false);
              engine.setEnabledProtocols(enabled);
              return engine;
            }));
  }

  /** A value and the key it came from: Troupe's own, or Artery's when Troupe's is empty. */
  private record Setting(String name, String value) {}

  private static Setting setting(Config config, String own, String artery) {
    String value = config.getString(TLS + own);
    if (!value.isEmpty()) {
      return new Setting(TLS + own, value);
    }
    return new Setting(ARTERY + artery, config.getString(ARTERY + artery));
  }

  /** Where a password usually comes from, for the error that it is wrong. */
  private static String pointer(Setting password) {
    return password.name().startsWith(ARTERY)
        ? " (TROUPE_TLS_PASSWORD with config/security/tls.conf)"
        : "";
  }

  private static KeyStore open(Setting store, Setting password) {
    Path path = Path.of(store.value()).toAbsolutePath();
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, password.value().toCharArray());
      return keys;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "no HTTPS key store at "
              + path
              + " ("
              + store.name()
              + "); make one with config/security/gen-dev-certs or point "
              + store.name()
              + " at yours");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(
          "cannot read the HTTPS key store " + path + " (" + store.name() + ")");
    } catch (IOException e) {
      // PKCS12 reports a wrong password as an IOException caused by UnrecoverableKeyException.
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new IllegalArgumentException(
            "the HTTPS key store "
                + path
                + " ("
                + store.name()
                + ") does not open with the password of "
                + password.name()
                + pointer(password));
      }
      throw new IllegalArgumentException(
          "cannot read the HTTPS key store "
              + path
              + " ("
              + store.name()
              + ") as PKCS12: "
              + oneLine(e.getMessage()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the HTTPS key store "
              + path
              + " ("
              + store.name()
              + "): "
              + oneLine(e.getMessage()));
    }
  }

  private static String oneLine(String message) {
    return String.valueOf(message).replaceAll("\\s+", " ").strip();
  }

  private static boolean isKey(KeyStore keys, String alias) {
    try {
      return keys.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
