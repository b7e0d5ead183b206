package io.troupe.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The manifests of {@code deploy/kubernetes/}, read with the fabric8 Kubernetes model: each YAML
 * document becomes the model class of its {@code apiVersion} and {@code kind}, and a field the
 * Kubernetes schema does not have is an error (fabric8 would keep it in {@code
 * additionalProperties}; {@link #unknownFields} finds them all).
 */
final class Manifests {

  /** The kinds the manifests may use, by {@code apiVersion/kind}. */
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "apps/v1/Deployment", Deployment.class,
          "v1/Service", Service.class,
          "v1/ServiceAccount", ServiceAccount.class,
          "v1/Secret", Secret.class,
          "v1/ConfigMap", ConfigMap.class,
          "rbac.authorization.k8s.io/v1/Role", Role.class,
          "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

  /** The kustomization file's fields this deployment uses; any other field fails the parse. */
  record Kustomization(
      String apiVersion,
      String kind,
      List<String> resources,
      List<Generator> configMapGenerator,
      List<Image> images) {}

  /** A {@code configMapGenerator} entry. */
  record Generator(String name, List<String> files) {}

  /** An {@code images} entry. */
  record Image(String name, String newName, String newTag) {}

  /** A parsed document and the file it came from. */
  record Document(Path file, HasMetadata object) {}

  static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private Manifests() {}

  /** Returns {@code deploy/}: the system property Maven sets, else the working directory. */
  static Path deployDir() {
    return Path.of(System.getProperty("troupe.deploy.dir", ".")).toAbsolutePath().normalize();
  }

  static Path kubernetesDir() {
    return deployDir().resolve("kubernetes");
  }

  static Kustomization kustomization() throws IOException {
    return YAML.readValue(
        kubernetesDir().resolve("kustomization.yaml").toFile(), Kustomization.class);
  }

  /** Every file of {@code deploy/kubernetes/}, by name. */
  static List<String> files() throws IOException {
    try (Stream<Path> list = Files.list(kubernetesDir())) {
      return list.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  /**
   * Parses every document of a manifest file into its model class.
   *
   * @throws IllegalArgumentException for a kind this deployment does not know, or a document that
   *     does not fit its kind's schema
   */
  static List<Document> read(Path file) throws IOException {
    List<Document> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node == null || node.isNull() || node.isEmpty()) {
          continue;
        }
        String kind = node.path("apiVersion").asText() + "/" + node.path("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type == null) {
          throw new IllegalArgumentException(file.getFileName() + ": unknown kind " + kind);
        }
        HasMetadata object;
        try {
          object = YAML.treeToValue(node, type);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              file.getFileName() + ": " + kind + " does not fit the schema: " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(object, kind, unknown);
        if (!unknown.isEmpty()) {
          throw new IllegalArgumentException(
              file.getFileName() + ": fields the Kubernetes schema does not have: " + unknown);
        }
        documents.add(new Document(file, object));
      }
    }
    return documents;
  }

  /** The documents of every file kustomization.yaml lists as a resource. */
  static List<Document> resources() throws IOException {
    List<Document> all = new ArrayList<>();
    for (String resource : kustomization().resources()) {
      all.addAll(read(kubernetesDir().resolve(resource)));
    }
    return all;
  }

  static List<Document> secretExample() throws IOException {
    return read(kubernetesDir().resolve("secret.example.yaml"));
  }

  static <T extends HasMetadata> List<T> ofKind(List<Document> documents, Class<T> type) {
    return documents.stream()
        .map(Document::object)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  static <T extends HasMetadata> T single(List<Document> documents, Class<T> type) {
    List<T> found = ofKind(documents, type);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " among the resources, found " + found.size());
    }
    return found.get(0);
  }

  /**
   * Collects the paths of fields that fabric8 kept as additional properties: fields that are not in
   * the Kubernetes schema of their object (a typo, a wrong indentation, a field of another kind).
   */
  static void unknownFields(Object object, String path, List<String> found) {
    if (object == null) {
      return;
    }
    if (object instanceof Collection<?> collection) {
      int i = 0;
      for (Object element : collection) {
        unknownFields(element, path + "[" + i++ + "]", found);
      }
      return;
    }
    if (object instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        unknownFields(e.getValue(), path + "." + e.getKey(), found);
      }
      return;
    }
    if (!object.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : object.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(object);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      String field = path + "." + decapitalize(getter.getName().substring(3));
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          for (Object key : extra.keySet()) {
            found.add(path + "." + key);
          }
        }
      } else {
        unknownFields(value, field, found);
      }
    }
  }

  private static String decapitalize(String name) {
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
