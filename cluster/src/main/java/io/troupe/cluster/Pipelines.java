package io.troupe.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The pipelines on the classpath, found with {@link ServiceLoader}. */
public final class Pipelines {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  private final Map<String, Pipeline<?>> byName;

  private Pipelines(Map<String, Pipeline<?>> byName) {
    this.byName = byName;
  }

  /**
   * Loads the pipelines visible to a class loader.
   *
   * @param loader where to look
   * @return the registry
   * @throws IllegalStateException if two pipelines share a name or a name is invalid
   */
  @SuppressWarnings("rawtypes") // ServiceLoader cannot express the type parameter
  public static Pipelines load(ClassLoader loader) {
    Map<String, Pipeline<?>> found = new TreeMap<>();
    for (Pipeline pipeline : ServiceLoader.load(Pipeline.class, loader)) {
      Pipeline<?> p = pipeline;
      if (!NAME.matcher(p.name()).matches()) {
        throw new IllegalStateException(
            "pipeline " + p.getClass().getName() + " has an invalid name: " + p.name());
      }
      Pipeline<?> previous = found.putIfAbsent(p.name(), p);
      if (previous != null) {
        throw new IllegalStateException(
            "two pipelines are named "
                + p.name()
                + ": "
                + previous.getClass().getName()
                + " and "
                + p.getClass().getName());
      }
    }
    return new Pipelines(found);
  }

  /** Loads the pipelines visible to this class's loader. */
  public static Pipelines load() {
    return load(Pipelines.class.getClassLoader());
  }

  /** Returns the pipeline with this name, if any. */
  public Optional<Pipeline<?>> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Returns the pipeline with this name.
   *
   * @param name the pipeline's name
   * @return the pipeline
   * @throws PipelineUsageException naming the known pipelines if there is none by that name
   */
  public Pipeline<?> get(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new PipelineUsageException(
                    "unknown pipeline '"
                        + printable(name)
                        + "'; known pipelines: "
                        + String.join(", ", byName.keySet())));
  }

  /** Shows a name as one line of at most 100 characters, control characters escaped. */
  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length() && out.length() < 100; i++) {
      char c = name.charAt(i);
      out.append(
          Character.isISOControl(c) || Character.isSurrogate(c)
              ? String.format(java.util.Locale.ROOT, "\\u%04x", (int) c)
              : String.valueOf(c));
    }
    return name.length() > 100 ? out + "..." : out.toString();
  }

  /** Returns all pipelines, sorted by name. */
  public List<Pipeline<?>> all() {
    List<Pipeline<?>> all = new ArrayList<>(byName.values());
    all.sort(Comparator.comparing(Pipeline::name));
    return all;
  }
}
