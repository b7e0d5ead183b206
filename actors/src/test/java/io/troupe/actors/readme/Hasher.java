package io.troupe.actors.readme;

// readme:begin hasher
import io.troupe.actors.Work;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** Hashes one text per message with SHA-256; an empty text is a bug in the caller. */
public final class Hasher extends AbstractBehavior<Work<String, String>> {

  public static Behavior<Work<String, String>> create() {
    return Behaviors.setup(Hasher::new);
  }

  private final MessageDigest sha256; // state lives in the actor; one message at a time

  private Hasher(ActorContext<Work<String, String>> ctx) throws NoSuchAlgorithmException {
    super(ctx);
    this.sha256 = MessageDigest.getInstance("SHA-256");
  }

  @Override
  public Receive<Work<String, String>> createReceive() {
    return newReceiveBuilder().onAnyMessage(this::onWork).build();
  }

  private Behavior<Work<String, String>> onWork(Work<String, String> work) {
    if (work.item().isEmpty()) {
      // Throwing fails this item, and only this item: the pool retries it, then quarantines it,
      // and restarts this worker at once with fresh state. (Asynchronous work, which answers
      // later, fails its item with work.fail(e) instead.)
      throw new IllegalArgumentException("nothing to hash");
    }
    byte[] digest = sha256.digest(work.item().getBytes(StandardCharsets.UTF_8));
    work.reply(HexFormat.of().formatHex(digest));
    return this;
  }
}
// readme:end hasher
