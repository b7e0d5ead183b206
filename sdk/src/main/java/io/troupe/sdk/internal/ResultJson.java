package io.troupe.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Renders a pipeline's result (a record, a list, a map, a {@code JsonNode}) as the JSON a job's
 * {@code result} shows (internal API). One mapper, so a job's result and its sequential reference
 * render alike and compare equal.
 */
public final class ResultJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .findAndAddModules()
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private ResultJson() {}

  /**
   * Renders a result.
   *
   * @param result what a combiner or a sequential reference returned
   * @return its JSON; a {@code JsonNode} is returned as it is
   * @throws IllegalArgumentException if Jackson cannot render it
   */
  public static JsonNode render(Object result) {
    if (result instanceof JsonNode node) {
      return node;
    }
    return MAPPER.valueToTree(result);
  }
}
