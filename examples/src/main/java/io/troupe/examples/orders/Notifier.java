package io.troupe.examples.orders;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Tells customers that their order is complete: the saga's last step, a stand-in for a mail or push
 * service. One per node, local to the orders it serves.
 *
 * <p>Implementation notes: notification is at least once. An order notifies, then records that it
 * is complete; if its node dies in between, the order notifies again when it resumes. The notifier
 * keeps no state beyond a count for its log, so the job's invariants do not include it.
 */
public final class Notifier extends AbstractBehavior<Notifier.Notify> {

  /**
   * Notifies the customer of a completed order; replies with {@link Done} once sent.
   *
   * @param job the order's job
   * @param order the order's number
   * @param replyTo where the acknowledgement goes
   */
  public record Notify(String job, int order, ActorRef<Done> replyTo) {}

  /** Returns the behavior of a node's notifier. */
  public static Behavior<Notify> create() {
    return Behaviors.setup(Notifier::new);
  }

  private long sent;

  private Notifier(ActorContext<Notify> ctx) {
    super(ctx);
  }

  @Override
  public Receive<Notify> createReceive() {
    return newReceiveBuilder().onMessage(Notify.class, this::onNotify).build();
  }

  private Behavior<Notify> onNotify(Notify notify) {
    sent++;
    getContext()
        .getLog()
        .debug(
            "Order [{}] of job [{}] is complete; customer notified ({} on this node)",
            notify.order(),
            notify.job(),
            sent);
    notify.replyTo().tell(Done.getInstance());
    return this;
  }
}
