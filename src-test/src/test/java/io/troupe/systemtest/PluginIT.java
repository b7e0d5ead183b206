package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.persistence.testing.PostgresDatabase;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project of a user's own, made the way the README says: generated from the archetype, offline,
 * from Troupe's artifacts as {@code mvn install} leaves them (those of this very build, in a
 * private local repository beside the user's); built with its own unit test; then its pipeline run
 * as a plug-in through {@code bin/troupe} with {@code --classpath}, {@code TROUPE_CLASSPATH} and a
 * {@code plugins/} directory, and on a three-node cluster that a fourth node without the jar joins.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class PluginIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = TroupeProcess.ROOT.toAbsolutePath().normalize();
  private static final Path TROUPE = ROOT.resolve("bin/troupe");
  private static final String VERSION = System.getProperty("troupe.version", "0.1.0-SNAPSHOT");
  private static final Path USER_REPOSITORY =
      Path.of(
          System.getProperty(
              "troupe.localRepository",
              Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
  private static final String NAME = "anagrams";
  private static final Duration MAVEN = Duration.ofMinutes(5);
  private static final Duration COMMAND = Duration.ofMinutes(3);

  /** pi(200000): the primes up to 200,000, and the largest of them. */
  private static final long PRIMES = 17_984;

  private static final long LARGEST = 199_999;

  private Path dir;
  private Path repository;
  private Path project;
  private Path jar;
  private JsonNode embeddedResult;

  @BeforeAll
  void generateAndBuild(@TempDir Path tmp) throws Exception {
    dir = tmp;
    repository = privateRepository(dir.resolve("repository"));
    Shell.Result generated =
        maven(
            dir,
            "org.apache.maven.plugins:maven-archetype-plugin:3.4.1:generate",
            "-DarchetypeGroupId=io.troupe",
            "-DarchetypeArtifactId=troupe-pipeline-archetype",
            "-DarchetypeVersion=" + VERSION,
            "-DgroupId=com.example",
            "-DartifactId=" + NAME,
            "-Dversion=1.0.0",
            "-Dpackage=com.example." + NAME,
            "-DinteractiveMode=false");
    assertThat(generated.exitCode()).as(generated.describe()).isZero();
    project = dir.resolve(NAME);
    assertThat(project.resolve("src/main/java/com/example/anagrams/AnagramsPipeline.java"))
        .isRegularFile();
    assertThat(project.resolve("src/main/resources/META-INF/services/io.troupe.sdk.Pipeline"))
        .hasContent("com.example.anagrams.AnagramsPipeline");

    Shell.Result built = maven(project, "package");
    assertThat(built.exitCode()).as(built.describe()).isZero();
    assertThat(built.stdout())
        .as("the generated project's own test ran on an embedded node")
        .contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0");
    jar = project.resolve("target/" + NAME + "-1.0.0.jar");
    assertThat(jar).isRegularFile();
  }

  @AfterAll
  void stopWhatRuns() throws Exception {
    if (dir != null && Files.exists(dir.resolve("cluster/data/cluster/cluster.json"))) {
      troupe(dir.resolve("cluster"), Map.of(), "cluster", "down");
    }
  }

  private Shell.Result maven(Path in, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("mvn", "-B", "-o"));
    command.add("-Dmaven.repo.local=" + repository);
    command.addAll(List.of(args));
    return Shell.run(in, Map.of(), MAVEN, command.toArray(String[]::new));
  }

  private static Shell.Result troupe(Path in, Map<String, String> env, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(TROUPE.toString()));
    command.addAll(List.of(args));
    return Shell.run(in, env, COMMAND, command.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void aProjectImportingTheBom_resolvesOneVersionOfEachPekkoAndJacksonFamily() throws Exception {
    Path list = dir.resolve("dependencies.txt");
    Shell.Result listed =
        maven(
            project,
            "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list",
            "-DoutputFile=" + list,
            "-DincludeScope=test");
    assertThat(listed.exitCode()).as(listed.describe()).isZero();

    Map<String, Set<String>> versions = new TreeMap<>();
    Pattern line = Pattern.compile("\\s*([\\w.-]+):([\\w.-]+):jar:([\\w.-]+):(\\w+).*");
    for (String l : Files.readAllLines(list)) {
      Matcher m = line.matcher(l);
      if (m.matches()) {
        String family = family(m.group(1), m.group(2));
        if (family != null) {
          versions.computeIfAbsent(family, f -> new TreeSet<>()).add(m.group(3));
        }
      }
    }
    assertThat(versions)
        .containsKeys("pekko", "pekko-http", "pekko-management", "jackson", "jackson-annotations");
    assertThat(versions)
        .as("one version per family: %s", versions)
        .allSatisfy((family, found) -> assertThat(found).as(family).hasSize(1));
    assertThat(versions.get("jackson-annotations").iterator().next())
        .as("annotations of the same Jackson release")
        .isEqualTo(minor(versions.get("jackson").iterator().next()));
  }

  /** Pekko and Jackson artifacts grouped by the release train that must agree on a version. */
  private static String family(String group, String artifact) {
    if (group.equals("org.apache.pekko")) {
      if (artifact.startsWith("pekko-http") || artifact.startsWith("pekko-parsing")) {
        return "pekko-http";
      }
      if (artifact.startsWith("pekko-management") || artifact.startsWith("pekko-discovery-")) {
        return "pekko-management";
      }
      if (artifact.startsWith("pekko-persistence-jdbc")) {
        return "pekko-persistence-jdbc";
      }
      return "pekko";
    }
    if (group.startsWith("com.fasterxml.jackson")) {
      return artifact.equals("jackson-annotations") ? "jackson-annotations" : "jackson";
    }
    return null;
  }

  private static String minor(String version) {
    String[] parts = version.split("\\.");
    return parts[0] + "." + parts[1];
  }

  @Test
  @Order(2)
  void troupeWithTheJarOnItsClasspath_listsAndRunsThePipeline() throws Exception {
    Shell.Result list = troupe(dir, Map.of(), "--classpath", jar.toString(), "list");
    assertThat(list.exitCode()).as(list.describe()).isZero();
    assertThat(list.stdout())
        .contains(NAME + "\tcounts the primes up to N")
        .contains("wordcount\t");

    Shell.Result help = troupe(dir, Map.of(), "-cp", jar.toString(), "run", NAME, "--help");
    assertThat(help.exitCode()).as(help.describe()).isZero();
    assertThat(help.stdout()).contains("--n N").contains("--chunk C");

    JsonNode run = runJob(dir, Map.of(), "--classpath", jar.toString());
    embeddedResult = run.path("result");
    assertThat(run.path("report").path("matchesSequential").asBoolean())
        .as("%s", run.path("report"))
        .isTrue();

    Shell.Result without = troupe(dir, Map.of(), "run", NAME);
    assertThat(without.exitCode()).isEqualTo(2);
    assertThat(without.stderr()).contains("unknown pipeline '" + NAME + "'");
  }

  @Test
  @Order(3)
  void troupeClasspathVariable_andAPluginsDirectory_doTheSame() throws Exception {
    Map<String, String> env = Map.of("TROUPE_CLASSPATH", jar.toString());
    Shell.Result list = troupe(dir, env, "list");
    assertThat(list.exitCode()).as(list.describe()).isZero();
    assertThat(list.stdout()).contains(NAME + "\t");
    runJob(dir, env);

    Path conf = Files.createDirectories(dir.resolve("conf/plugins"));
    Files.copy(jar, conf.resolve(jar.getFileName()));
    Path config = dir.resolve("conf/application.conf");
    Files.writeString(
        config, "include file(\"" + ROOT.resolve("config/application.conf") + "\")\n");
    Shell.Result listed = troupe(dir, Map.of(), "list", "--config", config.toString());
    assertThat(listed.exitCode()).as(listed.describe()).isZero();
    assertThat(listed.stdout()).contains(NAME + "\t");
    runJob(dir, Map.of(), "--config", config.toString());
  }

  /** Runs the test job with {@code troupe run --compare-sequential --format json}. */
  private JsonNode runJob(Path in, Map<String, String> env, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", NAME));
    args.addAll(List.of(extra));
    args.addAll(
        List.of("--n", "200000", "--chunk", "5000", "--compare-sequential", "--format", "json"));
    Shell.Result r = troupe(in, env, args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.describe()).isZero();
    JsonNode json = JSON.readTree(r.stdout());
    assertThat(json.path("status").asText()).isEqualTo("completed");
    assertThat(json.path("result").path("count").asLong()).isEqualTo(PRIMES);
    assertThat(json.path("result").path("largest").asLong()).isEqualTo(LARGEST);
    return json;
  }

  @Test
  @Order(4)
  void threeNodesWithTheJar_runItsJob_andAFourthWithoutItJoinsButStaysOut() throws Exception {
    try (PostgresDatabase db = PostgresDatabase.createOrSkip()) {
      Map<String, String> env = Map.of("TROUPE_DB_URL", db.url());
      Path work = Files.createDirectories(dir.resolve("cluster"));
      Shell.Result up =
          troupe(work, env, "cluster", "up", "--nodes", "3", "--classpath", jar.toString());
      assertThat(up.exitCode()).as(up.describe()).isZero();
      String node1 = "http://127.0.0.1:8551";

      JsonNode onThree = submit(work, env, node1);
      if (embeddedResult != null) {
        assertThat(onThree.path("result")).as("as troupe run's").isEqualTo(embeddedResult);
      }
      assertThat(onThree.path("status").asText()).isEqualTo("completed");
      assertThat(onThree.path("result").path("count").asLong()).isEqualTo(PRIMES);

      Path fourth = Files.createDirectories(dir.resolve("node-4"));
      Path config = fourth.resolve("node-4.conf");
      Files.writeString(
          config,
          "include file(\""
              + ROOT.resolve("config/cluster/cluster.conf")
              + "\")\n"
              + "pekko.remote.artery.canonical.port = 2554\n"
              + "pekko.management.http.port = 8554\n");
      Process node4 =
          Shell.start(
              fourth,
              env,
              fourth.resolve("out.log"),
              fourth.resolve("out.log"),
              TROUPE.toString(),
              "node",
              "--config",
              config.toString());
      try {
        Awaitility.await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> upMembers(node1) == 4);

        Shell.Result list = troupe(work, env, "list", "--node", node1);
        assertThat(list.exitCode()).as(list.describe()).isZero();
        assertThat(list.stdout())
            .contains(NAME + "\tcounts the primes up to N")
            .contains("on 3 of 4 node(s); missing on 127.0.0.1:2554")
            .contains("wordcount\tMapReduce word count")
            .contains("on all 4 node(s)");

        JsonNode onFour = submit(work, env, node1);
        assertThat(onFour.path("status").asText()).isEqualTo("completed");
        assertThat(onFour.path("result")).isEqualTo(onThree.path("result"));
        JsonNode status =
            LocalCluster.get(node1 + "/api/jobs/" + onFour.path("job").asText()).body();
        assertThat(status.path("unavailable"))
            .as("the job's status: %s", status)
            .extracting(n -> n.path("node").asText())
            .containsExactly("127.0.0.1:2554");
        JsonNode out = onFour.path("report").path("unavailable");
        assertThat(out).as("%s", onFour.path("report")).hasSize(1);
        assertThat(out.get(0).path("node").asText()).isEqualTo("127.0.0.1:2554");
        assertThat(out.get(0).path("reason").asText())
            .contains("does not have pipeline '" + NAME + "'");
      } finally {
        node4.descendants().forEach(ProcessHandle::destroy);
        node4.destroy();
        node4.waitFor();
        Shell.Result down = troupe(work, env, "cluster", "down");
        assertThat(down.exitCode()).as(down.describe()).isZero();
      }
    }
  }

  private JsonNode submit(Path work, Map<String, String> env, String node) throws Exception {
    Shell.Result r =
        troupe(
            work,
            env,
            "submit",
            NAME,
            "--n",
            "200000",
            "--chunk",
            "5000",
            "--node",
            node,
            "--wait",
            "--format",
            "json");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    return JSON.readTree(r.stdout());
  }

  private static long upMembers(String node) {
    try {
      LocalCluster.Answer a = LocalCluster.get(node + "/cluster/members");
      long up = 0;
      if (a.body() != null) {
        for (JsonNode m : a.body().path("members")) {
          up += "Up".equals(m.path("status").asText()) ? 1 : 0;
        }
      }
      return up;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Makes a local repository as {@code mvn install} at Troupe's root would leave the user's: every
   * artifact of the user's repository (jars hard-linked, where the file system allows, the rest
   * copied) except Troupe's own, plus the artifacts this build made. Maven then runs offline on it,
   * and the user's repository stays as it was.
   */
  private static Path privateRepository(Path target) throws IOException {
    Path troupe = USER_REPOSITORY.resolve("io/troupe");
    Files.walkFileTree(
        USER_REPOSITORY,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            if (d.equals(troupe)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(target.resolve(USER_REPOSITORY.relativize(d).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            Path to = target.resolve(USER_REPOSITORY.relativize(f).toString());
            if (f.getFileName().toString().endsWith(".jar")) {
              try {
                Files.createLink(to, f);
                return FileVisitResult.CONTINUE;
              } catch (IOException | UnsupportedOperationException e) {
                // another file system: copy instead
              }
            }
            Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
            return FileVisitResult.CONTINUE;
          }
        });
    install(target, "troupe-parent", ROOT.resolve("pom.xml"), null);
    install(target, "troupe-bom", ROOT.resolve("bom/pom.xml"), null);
    for (String module : List.of("sdk", "actors", "persistence", "cluster", "testkit")) {
      String artifact = "troupe-" + module;
      install(
          target,
          artifact,
          ROOT.resolve(module + "/pom.xml"),
          ROOT.resolve(module + "/target/" + artifact + "-" + VERSION + ".jar"));
    }
    String archetype = "troupe-pipeline-archetype";
    install(
        target,
        archetype,
        ROOT.resolve("archetype/pom.xml"),
        ROOT.resolve("archetype/target/" + archetype + "-" + VERSION + ".jar"));
    return target;
  }

  private static void install(Path repository, String artifact, Path pom, Path jar)
      throws IOException {
    Path dir = Files.createDirectories(repository.resolve("io/troupe/" + artifact + "/" + VERSION));
    Files.copy(
        pom, dir.resolve(artifact + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      assertThat(jar).as("built by this reactor").isRegularFile();
      Files.copy(
          jar, dir.resolve(artifact + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
