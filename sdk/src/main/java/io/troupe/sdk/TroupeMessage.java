package io.troupe.sdk;

/**
 * Marker for messages, events and payloads that leave the JVM: sent to another node, or written to
 * the job ledger.
 *
 * <p>The SDK's {@code reference.conf} binds this interface to Pekko's {@code jackson-cbor}
 * serializer, and Jackson deserializes only classes that implement it, so a foreign class name in a
 * payload is rejected rather than instantiated. Implement it with immutable records; a record
 * holding an {@code ActorRef} round-trips as well.
 */
public interface TroupeMessage {}
