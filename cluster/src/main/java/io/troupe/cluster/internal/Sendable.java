package io.troupe.cluster.internal;

import java.util.Locale;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import scala.util.Try;

/**
 * Tells whether a message can reach another node before it is sent there. Artery drops a message it
 * cannot serialize, or whose bytes do not fit in one frame, with a line in the sender's log and no
 * word to the sender; a worker's result lost that way would only show as the item's timeout,
 * minutes later, with no reason. Checking first lets the host report the real reason as a failed
 * attempt at once.
 *
 * <p>Implementation notes: the check serializes the message once more than sending it does. Job
 * results are partial aggregates, usually small, so this costs little next to the item's work;
 * local messages are not checked unless {@code always} is set.
 */
public final class Sendable {

  /** Room left in a frame for the envelope: recipient and sender paths, manifest, headers. */
  private static final int ENVELOPE_ALLOWANCE = 2048;

  private final Serialization serialization;
  private final long maxFrameBytes;
  private final boolean always;

  /**
   * Creates the check for a system.
   *
   * @param system the sending system
   * @param always check messages to local actors too, as if they had to cross nodes
   */
  public Sendable(ActorSystem<?> system, boolean always) {
    this.serialization = SerializationExtension.get(Adapter.toClassic(system));
    this.maxFrameBytes =
        system.settings().config().getBytes("pekko.remote.artery.advanced.maximum-frame-size");
    this.always = always;
  }

  /**
   * Returns why {@code message} cannot be sent to {@code recipient}, or null if it can.
   *
   * @param message the message
   * @param recipient where it goes
   * @return a one-line reason naming the cause, or null
   */
  public String problem(Object message, ActorRef<?> recipient) {
    if (!always && !recipient.path().address().hasGlobalScope()) {
      return null;
    }
    Try<byte[]> bytes = serialization.serialize(message);
    if (bytes.isFailure()) {
      Throwable e = bytes.failed().get();
      return "the result cannot be serialized to cross nodes: "
          + e.getClass().getName()
          + ": "
          + firstLine(e.getMessage());
    }
    long size = bytes.get().length;
    if (size + ENVELOPE_ALLOWANCE > maxFrameBytes) {
      return String.format(
          Locale.ROOT,
          "the result is %,d bytes serialized, too large to cross nodes: the limit is"
              + " pekko.remote.artery.advanced.maximum-frame-size (%,d bytes) less %,d for the"
              + " envelope; return a smaller partial or keep large data outside the result",
          size,
          maxFrameBytes,
          ENVELOPE_ALLOWANCE);
    }
    return null;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
