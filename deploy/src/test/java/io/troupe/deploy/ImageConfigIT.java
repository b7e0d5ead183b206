package io.troupe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The image deploy/image/build made (run by {@code -Pimage} before this test), read from its OCI
 * layout: its configuration runs {@code troupe node} as a user other than root, exposes the two
 * ports, and Troupe's layer holds the jars that were built.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ImageConfigIT {

  private static final Path ROOT = Manifests.deployDir().getParent();

  private OciImage image;
  private JsonNode config;

  @BeforeAll
  void open() throws IOException {
    image = OciImage.open(OciImage.imageDir().resolve("oci"), OciImage.version());
    config = image.config.path("config");
  }

  @Test
  void config_runsTheTroupeCommand_asANodeByDefault() {
    assertThat(strings(config.path("Entrypoint"))).containsExactly("/opt/troupe/bin/troupe");
    assertThat(strings(config.path("Cmd")))
        .as("no arguments: the entrypoint runs a node")
        .isEmpty();
    assertThat(strings(config.path("Env")))
        .contains("TROUPE_CONFIG=/opt/troupe/config/container/node.conf")
        .anyMatch(e -> e.startsWith("JAVA_HOME=/usr/lib/jvm/java-17-openjdk-"));
    assertThat(config.path("WorkingDir").asText()).isEqualTo("/opt/troupe");
    assertThat(image.config.path("os").asText()).isEqualTo("linux");
  }

  @Test
  void config_exposesArteryAndHttp() {
    List<String> ports = new ArrayList<>();
    config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertThat(ports).containsExactlyInAnyOrder("2551/tcp", "8551/tcp");
  }

  @Test
  void config_runsAsTheTroupeUser_notRoot() throws IOException {
    String user = config.path("User").asText();
    assertThat(user).isEqualTo("10001:10001");
    List<Path> layers = image.layers();
    String passwd = OciImage.read(layers.get(0), "etc/passwd");
    assertThat(passwd.lines()).anyMatch(l -> l.startsWith("troupe:x:10001:10001:"));
    assertThat(OciImage.read(layers.get(0), "etc/group").lines())
        .anyMatch(l -> l.startsWith("troupe:x:10001:"));
  }

  @Test
  void config_isLabelledWithTheProjectVersion() {
    assertThat(config.path("Labels").path("org.opencontainers.image.version").asText())
        .isEqualTo(OciImage.version());
    assertThat(image.manifest.path("annotations").path("org.opencontainers.image.version").asText())
        .isEqualTo(OciImage.version());
  }

  @Test
  void troupesLayer_holdsTheBuiltJars_theEntrypointAndTheConfig() throws IOException {
    List<Path> layers = image.layers();
    assertThat(layers).as("the Debian base, then Troupe").hasSize(2);
    Map<String, OciImage.Entry> troupe = OciImage.entries(layers.get(1));
    assertThat(troupe.get("opt/troupe/lib/troupe.jar").size())
        .isEqualTo(Files.size(ROOT.resolve("cli/target/troupe.jar")));
    assertThat(troupe.get("opt/troupe/lib/troupe-examples-plugin.jar").size())
        .isEqualTo(Files.size(ROOT.resolve("examples/target/troupe-examples-plugin.jar")));
    OciImage.Entry entrypoint = troupe.get("opt/troupe/bin/troupe");
    assertThat(entrypoint.mode() & 0111).as("executable").isEqualTo(0111);
    assertThat(troupe)
        .containsKeys(
            "opt/troupe/config/application.conf",
            "opt/troupe/config/cluster/cluster.conf",
            "opt/troupe/config/security/tls.conf",
            "opt/troupe/config/logback.xml",
            "opt/troupe/config/container/node.conf");
    assertThat(troupe.keySet()).noneMatch(p -> p.startsWith("opt/troupe/config/security/dev"));
    // Only the data directory is the node's to write.
    OciImage.Entry data = troupe.get("opt/troupe/data");
    assertThat(data.directory()).isTrue();
    assertThat(data.uid()).isEqualTo(10001);
    assertThat(troupe.values())
        .filteredOn(e -> !e.path().equals("opt/troupe/data"))
        .allSatisfy(e -> assertThat(e.uid()).as(e.path()).isZero());
    // The base has the Java runtime.
    assertThat(OciImage.entries(layers.get(0)).keySet())
        .anyMatch(p -> p.matches("usr/lib/jvm/java-17-openjdk-[a-z0-9]+/bin/java"));
  }

  @Test
  void theArchive_holdsTheSameLayout() throws IOException {
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            Files.newInputStream(OciImage.imageDir().resolve("troupe-image.tar")))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        names.add(e.getName().replaceFirst("^\\./", ""));
      }
    }
    assertThat(names).contains("index.json", "oci-layout");
    for (Path layer : image.layers()) {
      assertThat(names).contains("blobs/sha256/" + layer.getFileName());
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }
}
