package io.troupe.actors.internal;

import com.typesafe.config.Config;
import io.troupe.actors.Work;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import scala.concurrent.ExecutionContext;

/**
 * One worker's answer sink (internal API): the outcomes a worker gives through {@link Work#reply}
 * and {@link Work#fail} go to its pool a few at a time, as one {@link Work.Answers}.
 *
 * <p>A pool's actor sleeps between answers when its items take microseconds, so an answer each
 * costs a thread wake-up and a message each: on two cores that was about a sixth of a job's CPU
 * time. Here an answer waits only while answers come quickly. It goes at once, with what waited
 * before it, when
 *
 * <ul>
 *   <li>the last answer went out at least {@code window} ago (items that take longer than the
 *       window are answered one by one, as before);
 *   <li>the worker has answered everything handed to it (nothing queued behind it to wait for);
 *   <li>{@code maxBatch} answers are waiting.
 * </ul>
 *
 * Otherwise the first waiting answer schedules a flush after {@code linger}, so answers never wait
 * for long behind an item that turns out slow (or hangs: the pool's item timeout then sees only
 * that item overdue).
 *
 * <p>Implementation notes: the pool's actor calls {@link #handedOut} and {@link #drain}; the
 * worker, or whatever thread it answers from, calls {@link #accept}; the scheduler's thread
 * flushes. The waiting answers are guarded by this object's lock, held only to add or take them. An
 * answer is stamped with {@link System#nanoTime()} when given, so the pool's timings (latency,
 * service time, the worker-queue credit built on them) are the worker's, not the batch's.
 *
 * @param <R> the result type
 */
public final class WorkerAnswers<R> {

  /**
   * When answers are held back and for how long.
   *
   * @param window answers closer together than this are sent together; zero sends each at once
   * @param maxBatch most answers sent together
   * @param linger longest a held answer waits when no later answer comes
   */
  public record Settings(Duration window, int maxBatch, Duration linger) {
    /** Sends every answer on its own, as it is given. */
    public static final Settings OFF = new Settings(Duration.ZERO, 1, Duration.ZERO);

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public Settings {
      if (window.isNegative() || linger.isNegative()) {
        throw new IllegalArgumentException("window and linger must not be negative");
      }
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
      }
    }

    /** Where the settings are in the config. */
    public static final String PATH = "troupe.actors.worker-answers";

    /**
     * Reads {@code troupe.actors.worker-answers}; {@link #OFF} if the config has no such section.
     *
     * @param config the actor system's config
     * @return the settings
     * @throws IllegalArgumentException if a value is out of range
     * @throws com.typesafe.config.ConfigException if a value is missing or of the wrong type
     */
    public static Settings from(Config config) {
      if (!config.hasPath(PATH)) {
        return OFF;
      }
      return read(config.getConfig(PATH));
    }

    /**
     * Reads the settings from their own section, naming the key of a value out of range.
     *
     * @param section the {@code troupe.actors.worker-answers} section
     * @return the settings
     * @throws IllegalArgumentException if a value is out of range
     * @throws com.typesafe.config.ConfigException if a value is missing or of the wrong type
     */
    public static Settings read(Config section) {
      Duration window = section.getDuration("window");
      int maxBatch = section.getInt("max-batch");
      Duration linger = section.getDuration("linger");
      if (window.isNegative() || linger.isNegative() || maxBatch < 1) {
        throw new IllegalArgumentException(
            String.format(
                "%s: window and linger must not be negative and max-batch must be >= 1, was"
                    + " window = %s, max-batch = %d, linger = %s",
                PATH, window, maxBatch, linger));
      }
      return new Settings(window, maxBatch, linger);
    }

    /** Returns true when answers are sent one by one. */
    boolean off() {
      return window.isZero() || maxBatch == 1;
    }
  }

  private final ActorRef<Work.Outcome<R>> owner;
  private final Scheduler scheduler;
  private final ExecutionContext flushOn;
  private final long windowNanos;
  private final int maxBatch;
  private final Duration linger;
  private final boolean off;

  /** Items handed to the worker and not yet answered through here. */
  private final AtomicInteger outstanding = new AtomicInteger();

  // Guarded by this.
  private List<Work.Outcome<R>> waiting = new ArrayList<>();
  private long[] givenNanos = new long[8];
  private long lastSentNanos;
  private boolean flushScheduled;

  /**
   * Creates the sink of one worker.
   *
   * @param owner where the answers go: the pool's adapter for outcomes
   * @param scheduler schedules the flush of answers that would otherwise wait
   * @param flushOn runs that flush (a tell)
   * @param settings when answers are held back
   */
  public WorkerAnswers(
      ActorRef<Work.Outcome<R>> owner,
      Scheduler scheduler,
      ExecutionContext flushOn,
      Settings settings) {
    this.owner = owner;
    this.scheduler = scheduler;
    this.flushOn = flushOn;
    this.windowNanos = settings.window().toNanos();
    this.maxBatch = settings.maxBatch();
    this.linger = settings.linger();
    this.off = settings.off();
    this.lastSentNanos = System.nanoTime() - windowNanos;
  }

  /** Counts one more item handed to the worker; called by the pool as it hands it out. */
  public void handedOut() {
    outstanding.incrementAndGet();
  }

  /**
   * Takes one answer from the worker and sends it, with those waiting, or holds it back.
   *
   * @param outcome the answer
   */
  public void accept(Work.Outcome<R> outcome) {
    long now = System.nanoTime();
    int left = outstanding.decrementAndGet();
    if (off) {
      owner.tell(outcome);
      return;
    }
    Work.Answers<R> send = null;
    boolean schedule = false;
    synchronized (this) {
      if (givenNanos.length == waiting.size()) {
        givenNanos = Arrays.copyOf(givenNanos, givenNanos.length * 2);
      }
      givenNanos[waiting.size()] = now;
      waiting.add(outcome);
      if (left <= 0 || waiting.size() >= maxBatch || now - lastSentNanos >= windowNanos) {
        send = take(now);
      } else if (!flushScheduled) {
        flushScheduled = true;
        schedule = true;
      }
    }
    if (send != null) {
      owner.tell(send);
    } else if (schedule) {
      scheduler.scheduleOnce(linger, this::flushScheduled, flushOn);
    }
  }

  /**
   * Returns the answers waiting now, taken out of the sink, for a pool that handles them itself (a
   * worker that stopped); null if none.
   */
  public Work.Answers<R> drain() {
    synchronized (this) {
      return waiting.isEmpty() ? null : take(System.nanoTime());
    }
  }

  private void flushScheduled() {
    Work.Answers<R> send;
    synchronized (this) {
      flushScheduled = false;
      send = waiting.isEmpty() ? null : take(System.nanoTime());
    }
    if (send != null) {
      owner.tell(send);
    }
  }

  /** Takes the waiting answers out; called with the lock held and at least one waiting. */
  private Work.Answers<R> take(long now) {
    Work.Answers<R> answers =
        new Work.Answers<>(waiting, Arrays.copyOf(givenNanos, waiting.size()));
    waiting = new ArrayList<>(Math.min(maxBatch, Math.max(8, answers.outcomes().size())));
    lastSentNanos = now;
    return answers;
  }
}
