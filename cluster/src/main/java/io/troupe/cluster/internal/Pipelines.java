package io.troupe.cluster.internal;

import io.troupe.sdk.Pipeline;
import io.troupe.sdk.PipelineUsageException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The pipelines on the classpath, found with {@link ServiceLoader} in {@code
 * META-INF/services/io.troupe.sdk.Pipeline}: the plug-ins of this process.
 *
 * <p>A plug-in that cannot be loaded (a class that is missing or does not implement the SDK's
 * {@code Pipeline}, a constructor that throws) does not stop the others: it is left out and
 * reported by {@link #problems()}. Two pipelines with one name are an error, because a job names
 * its pipeline.
 */
public final class Pipelines {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  private final Map<String, Pipeline<?, ?, ?>> byName;
  private final List<String> problems;

  private Pipelines(Map<String, Pipeline<?, ?, ?>> byName, List<String> problems) {
    this.byName = byName;
    this.problems = List.copyOf(problems);
  }

  /**
   * Loads the pipelines visible to a class loader.
   *
   * @param loader where to look
   * @return the registry
   * @throws PipelineUsageException if two pipelines share a name
   */
  @SuppressWarnings("rawtypes") // ServiceLoader cannot express the type parameters
  public static Pipelines load(ClassLoader loader) {
    Map<String, Pipeline<?, ?, ?>> found = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    Iterator<Pipeline> it = ServiceLoader.load(Pipeline.class, loader).iterator();
    while (true) {
      Pipeline<?, ?, ?> p;
      try {
        if (!it.hasNext()) {
          break;
        }
        p = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        problems.add("a plug-in could not be loaded: " + e.getMessage());
        continue;
      }
      String name;
      try {
        name = p.name();
      } catch (RuntimeException e) {
        problems.add(p.getClass().getName() + " could not tell its name: " + e);
        continue;
      }
      if (name == null || !NAME.matcher(name).matches()) {
        problems.add(
            p.getClass().getName()
                + " ("
                + source(p)
                + ") has an invalid name '"
                + name
                + "': lowercase letters, digits and '-', starting with a letter, at most 40");
        continue;
      }
      if (!plans(p)) {
        problems.add(
            p.getClass().getName()
                + " ("
                + source(p)
                + ") overrides neither plan nor itemPlan: it has no items to run");
        continue;
      }
      Pipeline<?, ?, ?> previous = found.putIfAbsent(name, p);
      if (previous != null) {
        throw new PipelineUsageException(
            "two pipelines are named "
                + name
                + ": "
                + previous.getClass().getName()
                + " ("
                + source(previous)
                + ") and "
                + p.getClass().getName()
                + " ("
                + source(p)
                + "); remove one of the plug-ins");
      }
    }
    return new Pipelines(found, problems);
  }

  /**
   * Returns a registry of the given pipelines only, as a test or an embedding application builds it
   * without {@code ServiceLoader}.
   *
   * @param pipelines the pipelines
   * @return the registry
   * @throws PipelineUsageException if two share a name or a name is invalid
   */
  public static Pipelines of(Pipeline<?, ?, ?>... pipelines) {
    Map<String, Pipeline<?, ?, ?>> found = new TreeMap<>();
    for (Pipeline<?, ?, ?> p : pipelines) {
      if (p.name() == null || !NAME.matcher(p.name()).matches()) {
        throw new PipelineUsageException(
            "pipeline " + p.getClass().getName() + " has an invalid name: " + p.name());
      }
      if (!plans(p)) {
        throw new PipelineUsageException(
            "pipeline " + p.name() + " overrides neither plan nor itemPlan");
      }
      if (found.putIfAbsent(p.name(), p) != null) {
        throw new PipelineUsageException("two pipelines are named " + p.name());
      }
    }
    return new Pipelines(found, List.of());
  }

  /** Returns true if the pipeline's class overrides {@code plan} or {@code itemPlan}. */
  static boolean plans(Pipeline<?, ?, ?> pipeline) {
    try {
      Class<?> c = pipeline.getClass();
      return c.getMethod("plan", Object.class).getDeclaringClass() != Pipeline.class
          || c.getMethod("itemPlan", Object.class).getDeclaringClass() != Pipeline.class;
    } catch (NoSuchMethodException e) {
      return true;
    }
  }

  /** Loads the pipelines visible to this class's loader. */
  public static Pipelines load() {
    return load(Pipelines.class.getClassLoader());
  }

  /**
   * Returns where a pipeline's class comes from: its jar or class directory.
   *
   * @param pipeline the pipeline
   * @return the location, or {@code "unknown location"}
   */
  public static String source(Pipeline<?, ?, ?> pipeline) {
    try {
      var source = pipeline.getClass().getProtectionDomain().getCodeSource();
      return source == null || source.getLocation() == null
          ? "unknown location"
          : java.nio.file.Path.of(source.getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
      return "unknown location";
    }
  }

  /** Returns the pipeline with this name, if any. */
  public Optional<Pipeline<?, ?, ?>> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Returns the pipeline with this name.
   *
   * @param name the pipeline's name
   * @return the pipeline
   * @throws PipelineUsageException naming the known pipelines if there is none by that name
   */
  public Pipeline<?, ?, ?> get(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new PipelineUsageException(
                    "unknown pipeline '"
                        + printable(name)
                        + "'; known pipelines: "
                        + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet()))));
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
  public List<Pipeline<?, ?, ?>> all() {
    return List.copyOf(byName.values());
  }

  /** Returns the names of all pipelines, sorted. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** Returns one line per plug-in that could not be loaded, for the log or the user. */
  public List<String> problems() {
    return problems;
  }
}
