package io.troupe.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Jackson deserializes only Troupe's own message types: a CBOR payload that names any other class
 * in its manifest (a JDK collection, a known deserialization gadget, a class of ours that is not a
 * message) is refused, while a real message round-trips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class SerializationSafetyTest {

  /** A message of ours. */
  record Greeting(String text, int times) implements TroupeMessage {}

  private final ActorTestKit kit = ActorTestKit.create();
  private final Serialization serialization =
      SerializationExtension.get(Adapter.toClassic(kit.system()));

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aTroupeMessage_roundTrips_butForeignClassNamesInTheManifestAreRefused() throws Exception {
    Greeting hello = new Greeting("hello", 3);
    SerializerWithStringManifest serializer =
        (SerializerWithStringManifest) serialization.findSerializerFor(hello);
    byte[] bytes = serializer.toBinary(hello);
    String manifest = serializer.manifest(hello);

    assertThat(serializer.fromBinary(bytes, manifest)).isEqualTo(hello);
    assertThat(manifest).contains(Greeting.class.getName());
    for (String foreign :
        new String[] {
          "java.util.HashMap",
          "com.sun.rowset.JdbcRowSetImpl",
          "org.springframework.context.support.ClassPathXmlApplicationContext",
          "io.troupe.sdk.PipelineOptions",
          "io.troupe.no.such.Type"
        }) {
      assertThatThrownBy(() -> serializer.fromBinary(bytes, foreign))
          .as("manifest %s", foreign)
          .isInstanceOfAny(
              IllegalArgumentException.class,
              java.io.NotSerializableException.class,
              ClassNotFoundException.class);
    }
  }
}
