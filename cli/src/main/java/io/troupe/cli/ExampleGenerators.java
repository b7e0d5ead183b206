package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;

/**
 * The input generators of the examples plug-in, found at run time: the CLI ships without the
 * examples and reaches their generators only when the plug-in is on the classpath, as it is by
 * default. Without it, {@code troupe gen} fails with one line saying so.
 */
final class ExampleGenerators {

  private static final String CORPUS = "io.troupe.examples.wordcount.CorpusGenerator";
  private static final String SITE = "io.troupe.examples.crawl.SiteGenerator";

  private ExampleGenerators() {}

  /** Parses a size such as {@code 64MB}; see the corpus generator. */
  static long parseSize(String size) {
    try {
      return (long)
          find(CORPUS, "parseSize", MethodType.methodType(long.class, String.class), true)
              .invoke(size);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a deterministic text corpus of exactly {@code bytes} bytes. */
  static void corpus(Path out, long bytes, long seed) throws Exception {
    invoke(
        find(
            CORPUS,
            "generate",
            MethodType.methodType(void.class, Path.class, long.class, long.class),
            true),
        out,
        bytes,
        seed);
  }

  /** Writes a deterministic static site and returns the figures a crawl of it must report. */
  static JsonNode site(int pages, long seed, Path out) throws Exception {
    Object site =
        invoke(
            find(SITE, "of", MethodType.methodType(owner(SITE), int.class, long.class), true),
            pages,
            seed);
    invoke(find(SITE, "write", MethodType.methodType(void.class, Path.class), false), site, out);
    return (JsonNode)
        invoke(
            find(
                SITE,
                "expected",
                MethodType.methodType(com.fasterxml.jackson.databind.node.ObjectNode.class),
                false),
            site);
  }

  private static Object invoke(MethodHandle handle, Object... args) throws Exception {
    try {
      return handle.invokeWithArguments(args);
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static Class<?> owner(String className) {
    try {
      return Class.forName(className);
    } catch (ClassNotFoundException e) {
      throw new UsageException(
          "troupe gen needs the examples plug-in (troupe-examples), which is not on the"
              + " classpath");
    }
  }

  private static MethodHandle find(
      String className, String method, MethodType type, boolean isStatic) {
    Class<?> owner = owner(className);
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      return isStatic
          ? lookup.findStatic(owner, method, type)
          : lookup.findVirtual(owner, method, type);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "the examples plug-in on the classpath does not match this troupe: " + e, e);
    }
  }
}
