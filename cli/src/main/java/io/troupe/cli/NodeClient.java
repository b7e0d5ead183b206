package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** Talks to a node's HTTP endpoint for {@code submit}, {@code status} and {@code cluster up}. */
final class NodeClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status code and parsed JSON body (an empty object if the body was not JSON). */
  record Answer(int status, JsonNode body) {

    /** Returns the error message of a 4xx/5xx answer. */
    String error() {
      return body.path("error").asText("HTTP " + status);
    }
  }

  private final URI base;
  private final TokenOptions.NodeToken token;
  private final HttpClient http;

  /** A client that sends the given token (null or "" for none). */
  NodeClient(String url, String token) {
    this(
        url,
        new TokenOptions.NodeToken(
            token == null ? "" : token, "the given token", java.util.List.of("the given token")));
  }

  /**
   * Returns a client that sends a token found by {@link TokenOptions}; a 401 is reported in one
   * line that says where the token came from, or where none was found, and how to give one.
   */
  static NodeClient of(String url, TokenOptions.NodeToken token) {
    return new NodeClient(url, token);
  }

  private NodeClient(String url, TokenOptions.NodeToken token) {
    URI parsed;
    try {
      parsed = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--node: not a URL: " + url);
    }
    if (parsed.getScheme() == null
        || !(parsed.getScheme().equals("http") || parsed.getScheme().equals("https"))
        || parsed.getHost() == null) {
      throw new UsageException("--node: expected http://host:port, was " + url);
    }
    this.base = parsed;
    this.http = ClientTls.builder(parsed).connectTimeout(Duration.ofSeconds(5)).build();
    this.token = token;
  }

  URI base() {
    return base;
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Answer post(String path, JsonNode body) {
    try {
      return send(
          HttpRequest.newBuilder(base.resolve(path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends a DELETE; as every mutating request, it says its content type (it has no body). */
  Answer delete(String path) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .DELETE());
  }

  private Answer send(HttpRequest.Builder request) {
    request.timeout(Duration.ofSeconds(30));
    if (!token.token().isEmpty()) {
      request.header("Authorization", "Bearer " + token.token());
    }
    try {
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode body;
      try {
        body = JSON.readTree(response.body());
      } catch (IOException e) {
        body = JSON.createObjectNode();
      }
      if (response.statusCode() == 401) {
        throw new UsageException(token.refusedBy(base));
      }
      return new Answer(response.statusCode(), body == null ? JSON.createObjectNode() : body);
    } catch (ConnectException e) {
      throw new UsageException("cannot reach the node at " + base + " (connection refused)");
    } catch (SSLException e) {
      throw ClientTls.failure(base, e);
    } catch (HttpTimeoutException e) {
      throw new UsageException("the node at " + base + " did not answer in time");
    } catch (IOException e) {
      throw new UsageException("cannot reach the node at " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException("interrupted while waiting for " + base);
    }
  }
}
