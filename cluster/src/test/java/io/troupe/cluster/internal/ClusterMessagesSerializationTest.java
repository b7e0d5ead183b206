package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.SumPipeline;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.internal.IndexSet;
import io.troupe.persistence.internal.LedgerEvent;
import io.troupe.persistence.internal.LedgerSnapshot;
import io.troupe.persistence.testing.CountLogic;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.WorkItem;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every message of the cluster module that crosses the network between nodes (or goes into the
 * journal) survives a round trip through Pekko serialization as a real node configures it ({@link
 * TroupeNode#config}), and is written by Jackson CBOR; a payload naming a foreign class is refused.
 *
 * <p>Covered: the public commands of {@link JobCoordinator} (Start, Resume, Cancel, GetStatus,
 * AwaitCompletion, HostReady, HostUnavailable, BatchDone), {@link JobHost} (Assign, JobFinished,
 * Announce) and {@link WorkerAgent} (JoinJob, Shutdown); {@link KeyedReducer}'s commands, reply,
 * event and snapshot (Add, Get, Merged, Contributed, Snapshot); {@link JobStatus} (with and without
 * its coordinator, result and report); and the persistence types carried inside them: {@link
 * WorkItem}, {@link JobSpec}, every {@link LedgerEvent}, {@link LedgerSnapshot} and {@link
 * QuarantinedItem}. Partials and payloads are the real test types {@link CountLogic.Count}, {@link
 * CountLogic.Value} and {@link SumPipeline.Value}; actor references are live references of the test
 * system, and one is shown to reach its actor after the round trip. The answers wrapped in Pekko's
 * {@link StatusReply} are checked through Pekko's own serializer, which writes the Troupe values
 * inside them with Jackson CBOR.
 *
 * <p>Records holding JSON trees ({@link JobStatus}, {@link LedgerEvent.JobCompleted}, {@link
 * LedgerSnapshot}) are compared by their components and the trees' JSON text rather than by {@code
 * equals}; see {@link #comparable}.
 *
 * <p>Excluded, because they never leave their JVM:
 *
 * <ul>
 *   <li>{@code JobCoordinator}'s private messages: {@code Recovered}, {@code Submitted}, {@code
 *       Written} and {@code Closed} are answers of its ledger, a local child, adapted by {@code
 *       ask}; {@code Planned} and {@code Finished} are futures piped to itself; {@code Tick},
 *       {@code FlushDue}, {@code RetryDue}, {@code RetryFinish} and {@code RetentionOver} are its
 *       own timers; {@code AgentsChanged} is the local receptionist's listing through a message
 *       adapter; {@code HostLeft} is its own {@code watchWith} message; {@code Passivate} is the
 *       stop message its local shard sends.
 *   <li>{@code JobHost}'s private {@code WorkerAnswered} (its local workers' answers through a
 *       message adapter) and {@code WorkerStopped} ({@code watchWith}); {@code WorkerAgent}'s
 *       private {@code HostStopped} ({@code watchWith}).
 *   <li>{@link RegistryWriter.Command} and the private messages of {@link JobWaker}: not Troupe
 *       messages; only the node's own coordinators talk to its registry writer, and the waker talks
 *       to itself (its answers from coordinators are {@link StatusReply}s of {@link JobStatus},
 *       covered).
 *   <li>{@link ItemResult}: not a Troupe message (no serializer is bound to it); it goes from a
 *       worker to its parent {@code JobHost} on the same node, which copies its partial and new
 *       items into {@link JobCoordinator.BatchDone}.
 *   <li>The commands and replies of {@link io.troupe.persistence.internal.JobLedger} (Submit,
 *       GetState, Record, Complete and their entries, Progress, Recovered, Recorded): the ledger is
 *       a child of its coordinator. What it writes are the ledger events and snapshots covered
 *       here.
 *   <li>{@code KeyedReducer.State} and the ledger's internal state: live state only, written as
 *       {@link KeyedReducer.Snapshot} and {@link LedgerSnapshot}.
 * </ul>
 */
final class ClusterMessagesSerializationTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "serialization-test",
          TroupeNode.config(ConfigFactory.parseString("troupe.persistence.journal = memory")));

  private static final Serialization serialization =
      SerializationExtension.get(Adapter.toClassic(testKit.system()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static <T> ActorRef<T> ref() {
    return testKit.<T>createTestProbe().ref();
  }

  private static Named<Object> sample(String name, Object message) {
    return Named.of(name, message);
  }

  private static ObjectNode result() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("sum", 5050L);
    node.put("items", 100L);
    node.putArray("quarantined").addObject().put("item", "n-7").put("reason", "boom");
    return node;
  }

  private static ObjectNode live() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("intervalMs", 1000L);
    node.put("bottleneck", "add");
    ObjectNode sample = node.putArray("samples").addObject().put("atMs", 1_700_000_000_000L);
    sample.putObject("stages").putObject("add").put("itemsPerSec", 12.5).put("waiting", 4L);
    return node;
  }

  private static ObjectNode report() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("wallMs", 1234L);
    node.put("nodes", 3);
    node.put("itemsPerSec", 81.5);
    node.putArray("stages").addObject().put("name", "add").put("items", 100L);
    return node;
  }

  /** One sample per message type that crosses nodes or goes into the journal. */
  static Stream<Named<Object>> messages() {
    WorkItem<?> item = new WorkItem<>("n-1", "add", new SumPipeline.Value(1));
    WorkItem<?> other = new WorkItem<>("n-2", "add", new CountLogic.Value(2));
    JobSpec spec =
        new JobSpec("job-1", "sum", List.of("--n", "300", "--fork"), 1_700_000_000_000L, 3);
    CountLogic.Count count = new CountLogic.Count(42, 3);
    LedgerEvent.JobCompleted completed =
        new LedgerEvent.JobCompleted("completed_with_failures", result(), report());
    return Stream.of(
        sample("JobCoordinator.Start", new JobCoordinator.Start(spec, ref())),
        sample("JobCoordinator.Resume", new JobCoordinator.Resume(ref())),
        sample("JobCoordinator.Cancel", new JobCoordinator.Cancel(ref())),
        sample("JobCoordinator.GetStatus", new JobCoordinator.GetStatus(ref())),
        sample("JobCoordinator.AwaitCompletion", new JobCoordinator.AwaitCompletion(ref())),
        sample(
            "JobCoordinator.HostReady",
            new JobCoordinator.HostReady(ref(), "127.0.0.1:25520", 4, 8, new long[] {7, 9})),
        sample(
            "JobCoordinator.HostUnavailable",
            new JobCoordinator.HostUnavailable(
                "127.0.0.1:25524", "this node has no pipeline 'anagrams' (its plug-ins: none)")),
        sample(
            "JobCoordinator.BatchDone",
            new JobCoordinator.BatchDone(
                ref(),
                17,
                new int[] {3, 4, 9},
                count,
                List.of(item, other),
                List.of(new JobCoordinator.Failure(5, "java.lang.IllegalStateException: poison")),
                new int[0],
                new int[] {11, 12},
                List.of(
                    new JobCoordinator.StageTimes(
                        "add", new long[] {1_500_000, 10, 20}, new long[] {900_000, 5, 6}, 1)))),
        sample(
            "JobCoordinator.BatchDone of failures only",
            new JobCoordinator.BatchDone(
                ref(),
                18,
                new int[0],
                null,
                List.of(),
                List.of(new JobCoordinator.Failure(7, "boom")),
                new int[] {8, 9},
                new int[0],
                List.of())),
        sample("JobCoordinator.HostLeaving", new JobCoordinator.HostLeaving(ref())),
        sample(
            "JobHost.Assign",
            new JobHost.Assign(20, new int[] {0, 1}, List.of(item, other), null, ref())),
        sample(
            "JobHost.Assign of a retry",
            new JobHost.Assign(21, new int[] {6}, List.of(item), new int[] {2}, ref())),
        sample("JobHost.JobFinished", JobHost.JobFinished.INSTANCE),
        sample("JobHost.Announce", JobHost.Announce.INSTANCE),
        sample("JobHost.Leave", JobHost.Leave.INSTANCE),
        sample("JobHost.LeaveNoted", JobHost.LeaveNoted.INSTANCE),
        sample("WorkerAgent.JoinJob", new WorkerAgent.JoinJob(spec)),
        sample("WorkerAgent.Shutdown", new WorkerAgent.Shutdown(ref())),
        sample(
            "KeyedReducer.Add",
            new KeyedReducer.Add(
                "n-1", count, ClusterMessagesSerializationTest.<StatusReply<Done>>ref())),
        sample("KeyedReducer.Get", new KeyedReducer.Get(ref())),
        sample("KeyedReducer.Merged", new KeyedReducer.Merged(3, count)),
        sample("KeyedReducer.Contributed", new KeyedReducer.Contributed("n-1", count)),
        sample(
            "KeyedReducer.Snapshot",
            new KeyedReducer.Snapshot(List.of("n-1", "n-2", "n-3"), count)),
        sample("JobStatus unknown", JobStatus.unknown("job-1")),
        sample(
            "JobStatus running with its live view",
            new JobStatus("job-1", "sum", JobStatus.RUNNING, 300, 120, 1, 8, 2, null, null, null)
                .withLive(live())
                .withCoordinator("127.0.0.1:25520")),
        sample(
            "JobStatus running with coordinator",
            new JobStatus("job-1", "sum", JobStatus.RUNNING, 300, 120, 1, 8, 2, null, null, null)
                .withCoordinator("127.0.0.1:25520")),
        sample(
            "JobStatus completed with result and report",
            new JobStatus(
                    "job-1",
                    "sum",
                    "completed_with_failures",
                    300,
                    299,
                    1,
                    0,
                    3,
                    result(),
                    report(),
                    null)
                .withCoordinator("10.0.0.2:25520")),
        sample(
            "JobStatus running without a node",
            new JobStatus("job-1", "sum", JobStatus.RUNNING, 300, 120, 1, 8, 2, null, null, null)
                .withUnavailable(
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .arrayNode()
                        .add(
                            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                .objectNode()
                                .put("node", "127.0.0.1:25524")
                                .put("reason", "no pipeline 'sum'")))),
        sample(
            "JobStatus failed",
            new JobStatus(
                "job-1", "sum", JobStatus.FAILED, 0, 0, 0, 0, 0, null, null, "planning failed")),
        sample("WorkItem<?>", item),
        sample("JobSpec", spec),
        sample("QuarantinedItem", new QuarantinedItem("n-7", "java.lang.IllegalStateException")),
        sample("LedgerEvent.JobSubmitted", new LedgerEvent.JobSubmitted(spec, 10, true)),
        sample("LedgerEvent.ItemsAdded", new LedgerEvent.ItemsAdded(10, List.of(item, other))),
        sample(
            "LedgerEvent.ItemsCompleted",
            new LedgerEvent.ItemsCompleted(new int[] {0, 4, 7, 8}, count)),
        sample("LedgerEvent.ItemFailed", new LedgerEvent.ItemFailed(7, 2, "boom")),
        sample("LedgerEvent.ItemsStarted", new LedgerEvent.ItemsStarted(new int[] {0, 10})),
        sample("LedgerEvent.ItemQuarantined", new LedgerEvent.ItemQuarantined(7, "n-7", 3, "boom")),
        sample("LedgerEvent.JobCompleted", completed),
        sample(
            "LedgerSnapshot running",
            new LedgerSnapshot(
                spec,
                10,
                true,
                12,
                IndexSet.of(bits(0, 1, 2, 10)),
                IndexSet.of(bits(3)),
                Map.of(3, 1, 4, 2),
                count,
                List.of(new QuarantinedItem("n-7", "boom")),
                7,
                5,
                null)),
        sample(
            "LedgerSnapshot completed",
            new LedgerSnapshot(
                spec,
                2,
                false,
                2,
                IndexSet.of(bits(0, 1)),
                IndexSet.EMPTY,
                Map.of(),
                count,
                List.of(),
                2,
                0,
                completed)));
  }

  /** Each message type with realistic values, named after its type for the test report. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void message_roundTripsThroughJacksonCbor(Object message) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertThat(serializer).isInstanceOf(JacksonCborSerializer.class);

    Object copy = roundTrip(message);

    assertThat(copy).isInstanceOf(message.getClass());
    if (holdsJson(message)) {
      assertThat(comparable(copy)).isEqualTo(comparable(message));
    } else {
      assertThat(deepEquals(copy, message)).as("%s%nequals%n%s", copy, message).isTrue();
    }
  }

  /** Equality of records, lists and arrays by content: records compare arrays by identity. */
  private static boolean deepEquals(Object a, Object b) {
    if (a instanceof Record && b != null && a.getClass() == b.getClass()) {
      for (java.lang.reflect.RecordComponent c : a.getClass().getRecordComponents()) {
        try {
          if (!deepEquals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
            return false;
          }
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!deepEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return java.util.Objects.deepEquals(a, b);
  }

  /** The answers that cross nodes wrapped in Pekko's own {@link StatusReply}. */
  static Stream<Named<StatusReply<?>>> replies() {
    return Stream.of(
        Named.of(
            "StatusReply.success(JobStatus)",
            StatusReply.success(
                new JobStatus("job-1", "sum", "completed", 3, 3, 0, 0, 0, result(), report(), null)
                    .withCoordinator("10.0.0.2:25520"))),
        Named.of(
            "StatusReply.success(KeyedReducer.Merged)",
            StatusReply.success(new KeyedReducer.Merged(2, new CountLogic.Count(3, 2)))),
        Named.of("StatusReply.ack()", StatusReply.ack()),
        Named.of("StatusReply.error(String)", StatusReply.error("there is no job x to resume")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("replies")
  void statusReply_carryingTroupeMessages_roundTrips(StatusReply<?> reply) {
    Object copy = roundTrip(reply);

    assertThat(copy).isInstanceOf(StatusReply.class);
    StatusReply<?> back = (StatusReply<?>) copy;
    assertThat(back.isSuccess()).isEqualTo(reply.isSuccess());
    if (reply.isSuccess()) {
      assertThat(comparable(back.getValue())).isEqualTo(comparable(reply.getValue()));
    } else {
      assertThat(back.getError()).hasMessage(reply.getError().getMessage());
    }
  }

  private static java.util.BitSet bits(int... indices) {
    java.util.BitSet set = new java.util.BitSet();
    for (int i : indices) {
      set.set(i);
    }
    return set;
  }

  @Test
  void actorRef_afterRoundTrip_reachesTheSameActor() {
    TestProbe<JobStatus> probe = testKit.createTestProbe();
    JobCoordinator.GetStatus copy =
        (JobCoordinator.GetStatus) roundTrip(new JobCoordinator.GetStatus(probe.ref()));

    copy.replyTo().tell(JobStatus.unknown("job-1"));

    assertThat(probe.receiveMessage().job()).isEqualTo("job-1");
  }

  @Test
  void jobStatus_withoutResultOrReport_keepsThemNull() {
    JobStatus status = JobStatus.unknown("job-1");

    JobStatus copy = (JobStatus) roundTrip(status);

    assertThat(copy.result()).as("result (a NullNode prints as null too)").isNull();
    assertThat(copy.report()).as("report (a NullNode prints as null too)").isNull();
    assertThat(copy).isEqualTo(status);
  }

  @ParameterizedTest
  @ValueSource(strings = {"java.util.HashMap", "java.lang.ProcessBuilder"})
  void deserialize_whenManifestNamesAForeignClass_refuses(String manifest) {
    Object message = new JobSpec("job-1", "sum", List.of(), 0);
    byte[] bytes = serialization.serialize(message).get();
    int id = serialization.findSerializerFor(message).identifier();
    assertThat(serialization.deserialize(bytes, id, JobSpec.class.getName()).get())
        .as("the payload itself is fine")
        .isEqualTo(message);

    assertThatThrownBy(() -> serialization.deserialize(bytes, id, manifest).get())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(manifest);
  }

  @Test
  void deserialize_handMadeWorkItemWithATroupePayload_isAccepted() throws Exception {
    Object item = deserializeWorkItem(CountLogic.Value.class.getName());

    assertThat(item).isEqualTo(new WorkItem<>("n-1", "add", new CountLogic.Value(7)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"java.util.HashMap", "java.lang.ProcessBuilder"})
  void deserialize_whenNestedTypeNamesAForeignClass_refuses(String type) {
    assertThatThrownBy(() -> deserializeWorkItem(type))
        .isInstanceOf(InvalidTypeIdException.class)
        .hasMessageContaining(type)
        .hasMessageContaining("Not a subtype");
  }

  /**
   * Reads a CBOR work item written by hand, whose payload claims to be of the given class, as a
   * node receiving it would.
   */
  private static Object deserializeWorkItem(String payloadType) throws Exception {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("@type", payloadType);
    payload.put("value", 7);
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", "n-1");
    item.put("stage", "add");
    item.put("payload", payload);
    byte[] bytes = new CBORMapper().writeValueAsBytes(item);
    int id = serialization.serializerFor(WorkItem.class).identifier();
    return serialization.deserialize(bytes, id, WorkItem.class.getName()).get();
  }

  private static Object roundTrip(Object message) {
    Serializer serializer = serialization.findSerializerFor(message);
    String manifest = Serializers.manifestFor(serializer, message);
    byte[] bytes = serialization.serialize(message).get();
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }

  /** Returns true if the value is or holds (in a record component or list) a JSON tree. */
  private static boolean holdsJson(Object value) {
    if (value instanceof Record record) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        if (JsonNode.class.isAssignableFrom(component.getType())
            || holdsJson(valueOf(component, record))) {
          return true;
        }
      }
    }
    return value instanceof List<?> list
        && list.stream().anyMatch(ClusterMessagesSerializationTest::holdsJson);
  }

  /**
   * Returns what to compare of a value that holds JSON trees: a record becomes its class and its
   * components, a JSON tree its text. {@link JsonNode#equals} tells apart trees with the same JSON:
   * CBOR reads a small long back as an int. A JSON component that is {@code null} counts as JSON
   * null here; {@link #jobStatus_withoutResultOrReport_keepsThemNull} checks that it stays {@code
   * null}.
   */
  private static Object comparable(Object value) {
    if (value instanceof JsonNode json) {
      return "json:" + json;
    }
    if (value instanceof Record record) {
      List<Object> parts = new ArrayList<>();
      parts.add(record.getClass().getName());
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        Object part = valueOf(component, record);
        parts.add(
            part == null && JsonNode.class.isAssignableFrom(component.getType())
                ? "json:null"
                : comparable(part));
      }
      return parts;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ClusterMessagesSerializationTest::comparable).toList();
    }
    if (value instanceof int[] ints) {
      return java.util.Arrays.toString(ints);
    }
    if (value instanceof byte[] bytes) {
      return java.util.Arrays.toString(bytes);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), comparable(v)));
      return sorted;
    }
    return value;
  }

  private static Object valueOf(RecordComponent component, Record record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
