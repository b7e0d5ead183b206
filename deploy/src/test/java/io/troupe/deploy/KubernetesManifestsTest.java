package io.troupe.deploy;

import static io.troupe.deploy.Manifests.kubernetesDir;
import static io.troupe.deploy.Manifests.ofKind;
import static io.troupe.deploy.Manifests.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Kubernetes manifests of {@code deploy/kubernetes/} fit Kubernetes' schemas (the fabric8
 * model, unknown fields failing) and fit together: selectors, ports, probes, the service account's
 * rights, the secrets, the node's configuration and the image the build makes. No cluster is
 * needed, and none was ever used: this is what can be checked without one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class KubernetesManifestsTest {

  private static final String NAME_LABEL = "app.kubernetes.io/name";
  private static final String VERSION_LABEL = "app.kubernetes.io/version";
  private static final String SECRET_EXAMPLE = "secret.example.yaml";

  private Manifests.Kustomization kustomization;
  private List<Manifests.Document> resources;
  private Deployment deployment;
  private PodSpec pod;
  private Container container;
  private Config nodeConf;

  @BeforeAll
  void read() throws IOException {
    kustomization = Manifests.kustomization();
    resources = Manifests.resources();
    deployment = single(resources, Deployment.class);
    pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers()).hasSize(1);
    container = pod.getContainers().get(0);
    nodeConf = nodeConf(Map.of("POD_IP", "10.1.2.3", "TROUPE_APP_VERSION", "1.2.3"));
  }

  @Test
  void everyManifest_fitsItsKubernetesSchema_withoutUnknownFields() throws IOException {
    assertThat(kustomization.apiVersion()).isEqualTo("kustomize.config.k8s.io/v1beta1");
    assertThat(kustomization.kind()).isEqualTo("Kustomization");
    List<String> kinds = new ArrayList<>();
    for (String file : Manifests.files()) {
      if (file.endsWith(".yaml") && !file.equals("kustomization.yaml")) {
        Manifests.read(kubernetesDir().resolve(file))
            .forEach(
                d -> kinds.add(d.object().getKind() + " " + d.object().getMetadata().getName()));
      }
    }
    assertThat(kinds)
        .contains(
            "Deployment troupe",
            "ServiceAccount troupe",
            "Role troupe-pod-reader",
            "RoleBinding troupe-read-pods",
            "Service troupe-internal",
            "Service troupe",
            "PodDisruptionBudget troupe");
  }

  @Test
  void aFieldTheSchemaDoesNotHave_failsTheCheck(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    // The check itself: a probe's field misspelt, and a field at the wrong level.
    String deploymentYaml =
        Files.readString(kubernetesDir().resolve("deployment.yaml"), StandardCharsets.UTF_8);
    Path misspelt =
        Files.writeString(
            dir.resolve("misspelt.yaml"),
            deploymentYaml.replace("periodSeconds: 5", "periodSecond: 5"));
    assertThatThrownBy(() -> Manifests.read(misspelt))
        .hasMessageContaining("readinessProbe.periodSecond");
    Path misplaced =
        Files.writeString(
            dir.resolve("misplaced.yaml"),
            deploymentYaml.replace("  replicas: 3\n", "  replicas: 3\n  serviceAccountName: x\n"));
    assertThatThrownBy(() -> Manifests.read(misplaced)).hasMessageContaining("serviceAccountName");
  }

  @Test
  void kustomization_listsEveryFile_butNotTheSecretExample() throws IOException {
    Set<String> listed = new HashSet<>(kustomization.resources());
    kustomization.configMapGenerator().forEach(g -> listed.addAll(g.files()));
    for (String file : listed) {
      assertThat(kubernetesDir().resolve(file)).as("listed in kustomization.yaml").isRegularFile();
    }
    Set<String> present = new HashSet<>(Manifests.files());
    present.remove("kustomization.yaml");
    assertThat(listed)
        .as("secrets are never applied from the repository")
        .doesNotContain(SECRET_EXAMPLE);
    present.remove(SECRET_EXAMPLE);
    assertThat(listed)
        .as("every file of deploy/kubernetes/ is in kustomization.yaml")
        .containsAll(present);
  }

  @Test
  void selectors_matchThePodTemplateLabels() {
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).containsKey(NAME_LABEL);
    assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(deployment.getSpec().getSelector().getMatchExpressions()).isNullOrEmpty();
    List<Service> services = ofKind(resources, Service.class);
    assertThat(services).hasSize(2);
    for (Service service : services) {
      assertThat(service.getSpec().getSelector())
          .as("service %s", service.getMetadata().getName())
          .isNotEmpty();
      assertThat(podLabels)
          .as("service %s selects the pods", service.getMetadata().getName())
          .containsAllEntriesOf(service.getSpec().getSelector());
    }
    PodDisruptionBudget pdb = single(resources, PodDisruptionBudget.class);
    assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    // Cluster Bootstrap looks the pods up by this label selector.
    String selector =
        nodeConf.getString("troupe.cluster.bootstrap.discovery.kubernetes-api.label-selector");
    for (String term : selector.split(",")) {
      String[] kv = term.split("=", 2);
      assertThat(podLabels)
          .as("bootstrap's label selector " + selector)
          .containsEntry(kv[0].strip(), kv[1].strip());
    }
  }

  @Test
  void probesAndServices_targetDeclaredPortNames_andTheHealthPaths() {
    Map<String, Integer> ports =
        container.getPorts().stream()
            .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
    assertThat(ports).containsEntry("management", 8551).containsEntry("remoting", 2551);
    // The ports the node listens on are those the pod declares.
    assertThat(nodeConf.getInt("pekko.management.http.port")).isEqualTo(ports.get("management"));
    assertThat(nodeConf.getInt("pekko.remote.artery.canonical.port"))
        .isEqualTo(ports.get("remoting"));
    // Bootstrap's contact points are the container port of this name.
    assertThat(ports)
        .containsKey(
            nodeConf.getString("troupe.cluster.bootstrap.discovery.kubernetes-api.port-name"));

    assertThat(httpGet(container.getReadinessProbe(), ports).getPath()).isEqualTo("/ready");
    assertThat(httpGet(container.getLivenessProbe(), ports).getPath()).isEqualTo("/alive");
    assertThat(httpGet(container.getStartupProbe(), ports).getPath()).isIn("/alive", "/ready");

    for (Service service : ofKind(resources, Service.class)) {
      for (ServicePort port : service.getSpec().getPorts()) {
        assertThat(port.getTargetPort().getStrVal())
            .as(
                "service %s port %s targets a port by name",
                service.getMetadata().getName(), port.getName())
            .isNotNull();
        assertThat(ports).containsKey(port.getTargetPort().getStrVal());
      }
    }
    Service headless = service("troupe-internal");
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(headless.getSpec().getPorts().stream().map(ServicePort::getName))
        .containsExactlyInAnyOrder("management", "remoting");
    assertThat(service("troupe").getSpec().getClusterIP()).isNull();
  }

  @Test
  void theServiceAccount_isBoundToARoleThatReadsPods() {
    String account = pod.getServiceAccountName();
    assertThat(ofKind(resources, ServiceAccount.class).stream().map(a -> a.getMetadata().getName()))
        .contains(account);
    List<String> verbs = new ArrayList<>();
    for (RoleBinding binding : ofKind(resources, RoleBinding.class)) {
      boolean boundToAccount =
          binding.getSubjects().stream()
              .anyMatch(s -> "ServiceAccount".equals(s.getKind()) && account.equals(s.getName()));
      if (!boundToAccount || !"Role".equals(binding.getRoleRef().getKind())) {
        continue;
      }
      assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
      for (Role role : ofKind(resources, Role.class)) {
        if (role.getMetadata().getName().equals(binding.getRoleRef().getName())) {
          for (PolicyRule rule : role.getRules()) {
            if (rule.getApiGroups().contains("") && rule.getResources().contains("pods")) {
              verbs.addAll(rule.getVerbs());
            }
          }
        }
      }
    }
    assertThat(verbs).as("what %s may do with pods", account).contains("get", "watch", "list");
  }

  @Test
  void everySecretTheDeploymentReads_isInTheExample() throws IOException {
    Map<String, Set<String>> example = new HashMap<>();
    for (Secret secret : ofKind(Manifests.secretExample(), Secret.class)) {
      Set<String> keys = new HashSet<>();
      if (secret.getData() != null) {
        keys.addAll(secret.getData().keySet());
      }
      if (secret.getStringData() != null) {
        keys.addAll(secret.getStringData().keySet());
      }
      example.put(secret.getMetadata().getName(), keys);
    }
    List<String> read = new ArrayList<>();
    for (EnvVar env : container.getEnv()) {
      if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
        SecretKeySelector ref = env.getValueFrom().getSecretKeyRef();
        read.add(ref.getName() + "/" + ref.getKey());
      }
    }
    for (Volume volume : pod.getVolumes()) {
      if (volume.getSecret() != null) {
        assertThat(volume.getSecret().getItems())
            .as("volume %s names its keys", volume.getName())
            .isNotEmpty();
        volume
            .getSecret()
            .getItems()
            .forEach(i -> read.add(volume.getSecret().getSecretName() + "/" + i.getKey()));
      }
    }
    assertThat(read)
        .as("the database credentials and the HTTP token come from secrets")
        .contains("troupe-db/url", "troupe-db/user", "troupe-db/password", "troupe-http/token");
    for (String ref : read) {
      String[] nameKey = ref.split("/", 2);
      assertThat(example).as(SECRET_EXAMPLE + " has the secret of " + ref).containsKey(nameKey[0]);
      assertThat(example.get(nameKey[0]))
          .as(SECRET_EXAMPLE + " has the key of " + ref)
          .contains(nameKey[1]);
    }
    // A secret value is never written into the manifests themselves.
    assertThat(container.getEnv().stream().map(EnvVar::getName))
        .filteredOn(n -> n.contains("PASSWORD") || n.contains("TOKEN"))
        .allSatisfy(n -> assertThat(env(n).getValue()).as(n).isNull());
  }

  @Test
  void tls_isOn_andItsStoresComeFromTheSecretVolume() {
    assertThat(includes()).contains("../security/tls.conf");
    for (Probe probe :
        List.of(
            container.getReadinessProbe(),
            container.getLivenessProbe(),
            container.getStartupProbe())) {
      assertThat(probe.getHttpGet().getScheme()).as("the endpoint speaks HTTPS").isEqualTo("HTTPS");
    }
    Volume tls =
        pod.getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow();
    VolumeMount mount = mount(tls.getName());
    Set<String> files =
        tls.getSecret().getItems().stream()
            .map(i -> mount.getMountPath() + "/" + i.getPath())
            .collect(Collectors.toSet());
    assertThat(files)
        .contains(env("TROUPE_TLS_KEYSTORE").getValue(), env("TROUPE_TLS_TRUSTSTORE").getValue());
    assertThat(env("TROUPE_TLS_PASSWORD").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo(tls.getSecret().getSecretName());
    assertThat(nodeConf.hasPath("troupe.security.allow-plaintext"))
        .as("no plain text in production")
        .isFalse();
  }

  @Test
  void rollingUpdates_surgeOneAtATime_andLeaveGracefully() {
    var update = deployment.getSpec().getStrategy();
    assertThat(update.getType()).isEqualTo("RollingUpdate");
    assertThat(update.getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(update.getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
    assertThat(
            single(resources, PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
    assertThat(pod.getTerminationGracePeriodSeconds())
        .as("longer than the default 30 s, for a graceful leave")
        .isGreaterThan(30L);
    // pekko.cluster.app-version comes from the pod template's version label.
    assertThat(nodeConf.getString("pekko.cluster.app-version")).isEqualTo("1.2.3");
    assertThat(env("TROUPE_APP_VERSION").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.labels['" + VERSION_LABEL + "']");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsKey(VERSION_LABEL);
  }

  @Test
  void resources_requestAndLimitCpuAndMemory() {
    var resources = container.getResources();
    for (Map<String, Quantity> kind : List.of(resources.getRequests(), resources.getLimits())) {
      assertThat(kind).containsKeys("cpu", "memory");
    }
    assertThat(Quantity.getAmountInBytes(resources.getLimits().get("memory")))
        .as("the memory limit is at least the request")
        .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(resources.getRequests().get("memory")));
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
  }

  @Test
  void theNodeConfig_usesBootstrapOverTheKubernetesApi_andThePodIp() {
    assertThat(nodeConf.getBoolean("troupe.cluster.bootstrap.enabled")).isTrue();
    assertThat(nodeConf.getString("troupe.cluster.bootstrap.discovery.method"))
        .isEqualTo("kubernetes-api");
    assertThat(nodeConf.getInt("troupe.cluster.bootstrap.required-contact-points")).isEqualTo(3);
    assertThat(nodeConf.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    assertThat(nodeConf.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.1.2.3");
    assertThat(nodeConf.getString("pekko.management.http.hostname")).isEqualTo("10.1.2.3");
    assertThat(env("POD_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
    assertThat(includes()).contains("../cluster/bootstrap.conf", "../cluster/cluster.conf");

    // The ConfigMap is mounted where the container's --config points, under the image's config/
    // so that the relative includes resolve there.
    Manifests.Generator generator = kustomization.configMapGenerator().get(0);
    Volume config =
        pod.getVolumes().stream()
            .filter(
                v ->
                    v.getConfigMap() != null && generator.name().equals(v.getConfigMap().getName()))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no volume of the ConfigMap " + generator.name()));
    String file = mount(config.getName()).getMountPath() + "/" + generator.files().get(0);
    assertThat(container.getArgs()).containsExactly("node", "--config", file);
    Path image = Path.of("/opt/troupe/config");
    assertThat(Path.of(file).getParent().getParent()).isEqualTo(image);
    Path repoConfig = Manifests.deployDir().resolveSibling("config");
    for (String include : includes()) {
      Path inImage = Path.of(file).getParent().resolve(include).normalize();
      Path inRepo = repoConfig.resolve(image.relativize(inImage));
      assertThat(inRepo)
          .as("included %s is shipped in the image's config/", include)
          .isRegularFile();
    }
  }

  @Test
  void theImage_isTheOneTheBuildMakes() throws IOException {
    String version = System.getProperty("troupe.version");
    assertThat(version).as("the project version, from Maven").isNotBlank();
    String build =
        Files.readString(Manifests.deployDir().resolve("image/build"), StandardCharsets.UTF_8);
    Matcher name = Pattern.compile("(?m)^NAME=\"([^\"]+)\"$").matcher(build);
    assertThat(name.find()).as("deploy/image/build names the image").isTrue();
    assertThat(container.getImage()).isEqualTo(name.group(1) + ":" + version);
    Manifests.Image image = kustomization.images().get(0);
    assertThat(image.name()).isEqualTo(name.group(1));
    assertThat(image.newTag()).isEqualTo(version);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(VERSION_LABEL, version);
    assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
  }

  private Config nodeConf(Map<String, String> environment) {
    Config parsed =
        ConfigFactory.parseFile(
            kubernetesDir().resolve("node.conf").toFile(),
            ConfigParseOptions.defaults().setAllowMissing(false));
    return parsed.resolveWith(ConfigFactory.parseMap(environment));
  }

  private static List<String> includes() {
    try {
      Matcher m =
          Pattern.compile("(?m)^include \"([^\"]+)\"$")
              .matcher(
                  Files.readString(kubernetesDir().resolve("node.conf"), StandardCharsets.UTF_8));
      List<String> found = new ArrayList<>();
      while (m.find()) {
        found.add(m.group(1));
      }
      return found;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static HTTPGetAction httpGet(Probe probe, Map<String, Integer> ports) {
    assertThat(probe).isNotNull();
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get).as("an HTTP probe").isNotNull();
    assertThat(get.getPort().getStrVal()).as("the probe names its port").isNotNull();
    assertThat(ports).containsKey(get.getPort().getStrVal());
    assertThat(get.getPort().getStrVal()).isEqualTo("management");
    return get;
  }

  private Service service(String name) {
    return ofKind(resources, Service.class).stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no service " + name));
  }

  private EnvVar env(String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
  }

  private VolumeMount mount(String volume) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getName().equals(volume))
        .findFirst()
        .orElseThrow(() -> new AssertionError("volume " + volume + " is not mounted"));
  }
}
