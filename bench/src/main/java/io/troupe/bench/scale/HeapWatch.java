package io.troupe.bench.scale;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The highest live heap any full collection saw while it watched: the ones {@link LiveHeap} asks
 * for and the ones the heap's own pressure brings, so a peak between two readings (a job's plan
 * held while it is recorded, say) shows up as soon as it makes the collector work hard.
 *
 * <p>Implementation notes: the JVM delivers collection notifications on its own thread after each
 * collection; {@link #handleNotification} keeps the maximum under this object's lock, with the
 * label the case's thread set last ({@link #at}), so the table can say where the peak was.
 */
final class HeapWatch implements NotificationListener, AutoCloseable {

  private final Set<String> heapPools = new HashSet<>();
  private long peakBytes = -1;
  private String peakAt = "";
  private long fullCollections;
  private volatile String where = "";

  private HeapWatch() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
  }

  /** Starts watching this JVM's collectors. */
  static HeapWatch start() {
    HeapWatch watch = new HeapWatch();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(watch, null, null);
      }
    }
    return watch;
  }

  /** Names what the case is doing now, for a peak seen from now on. */
  void at(String label) {
    where = label;
  }

  /** Returns the label {@link #at} set last. */
  String where() {
    return where;
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    // Only a full collection leaves nothing but live objects behind.
    if (!info.getGcAction().contains("major")) {
      return;
    }
    long live = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        live += e.getValue().getUsed();
      }
    }
    synchronized (this) {
      fullCollections++;
      if (live > peakBytes) {
        peakBytes = live;
        peakAt = where;
      }
    }
  }

  /** Returns the highest live heap seen, or -1 if no full collection ran. */
  synchronized long peakBytes() {
    return peakBytes;
  }

  /** Returns what the case was doing when the peak was seen. */
  synchronized String peakAt() {
    return peakAt;
  }

  /** Returns the full collections seen, asked for or not. */
  synchronized long fullCollections() {
    return fullCollections;
  }

  @Override
  public void close() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        try {
          emitter.removeNotificationListener(this);
        } catch (javax.management.ListenerNotFoundException e) {
          // Never added to this one.
        }
      }
    }
  }
}
