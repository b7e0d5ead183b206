package io.troupe.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The image deploy/image/build wrote: an OCI layout read the way a runtime reads it (index, then
 * the manifest of the tag, then its configuration and layers).
 */
final class OciImage {

  /** A file in a layer: its path without a leading slash, owner, mode and size. */
  record Entry(String path, long uid, long gid, int mode, long size, boolean directory) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  final Path layout;
  final JsonNode manifest;
  final JsonNode config;

  private OciImage(Path layout, JsonNode manifest, JsonNode config) {
    this.layout = layout;
    this.manifest = manifest;
    this.config = config;
  }

  /** Returns the image dir Maven passes (deploy/target), where the build left its output. */
  static Path imageDir() {
    return Path.of(System.getProperty("troupe.image.dir", "target")).toAbsolutePath().normalize();
  }

  /** The project version, the image's tag. */
  static String version() {
    String version = System.getProperty("troupe.version");
    if (version == null || version.isBlank()) {
      throw new IllegalStateException("troupe.version is not set (run through Maven)");
    }
    return version;
  }

  /**
   * Opens the tag of an OCI layout.
   *
   * @throws IOException if the layout has no such tag or a blob is missing
   */
  static OciImage open(Path layout, String tag) throws IOException {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    for (JsonNode m : index.path("manifests")) {
      if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
        JsonNode manifest = JSON.readTree(blob(layout, m.path("digest").asText()).toFile());
        JsonNode config =
            JSON.readTree(blob(layout, manifest.path("config").path("digest").asText()).toFile());
        return new OciImage(layout, manifest, config);
      }
    }
    throw new IOException("no tag " + tag + " in " + layout.resolve("index.json") + ": " + index);
  }

  static Path blob(Path layout, String digest) throws IOException {
    String[] parts = digest.split(":", 2);
    Path blob = layout.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
    if (!Files.isRegularFile(blob)) {
      throw new IOException("missing blob " + digest);
    }
    return blob;
  }

  /** The layers' blobs, bottom first. */
  List<Path> layers() throws IOException {
    List<Path> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      layers.add(blob(layout, layer.path("digest").asText()));
    }
    return layers;
  }

  /** Lists a gzip-compressed layer's entries, by path. */
  static Map<String, Entry> entries(Path layer) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(layer));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String path = e.getName().replaceFirst("^\\./", "").replaceFirst("/$", "");
        entries.put(
            path,
            new Entry(
                path,
                e.getLongUserId(),
                e.getLongGroupId(),
                e.getMode(),
                e.getSize(),
                e.isDirectory()));
      }
    }
    return entries;
  }

  /** Reads one file of a gzip-compressed layer. */
  static String read(Path layer, String path) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(layer));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.getName().replaceFirst("^\\./", "").equals(path)) {
          return new String(tar.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
    }
    throw new IOException("no " + path + " in " + layer);
  }
}
