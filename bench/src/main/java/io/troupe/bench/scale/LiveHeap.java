package io.troupe.bench.scale;

import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live heap of this JVM: what the heap holds right after a full collection.
 *
 * <p>{@link System#gc()} runs a full, stop-the-world collection on the collectors the cases use
 * (Parallel, also G1 and Serial unless {@code -XX:+DisableExplicitGC}). The figure is the heap
 * pools' use after that collection as its collector reported it ({@link GcInfo}), so objects
 * allocated between the collection and the reading do not count. Where no collector reports one, it
 * falls back to the heap's use read right after {@code System.gc()}.
 */
final class LiveHeap {

  /**
   * One reading.
   *
   * @param bytes the live heap
   * @param pauseNanos how long the full collection held the calling thread
   * @param fromGcInfo whether the figure is the collector's own (else the fallback)
   */
  record Reading(long bytes, long pauseNanos, boolean fromGcInfo) {}

  private LiveHeap() {}

  /** Runs a full collection and returns the live heap after it. */
  static Reading measure() {
    List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    Map<String, Long> before = new HashMap<>();
    for (GarbageCollectorMXBean c : collectors) {
      before.put(c.getName(), c.getCollectionCount());
    }
    long t0 = System.nanoTime();
    System.gc();
    long pause = System.nanoTime() - t0;
    long fallback = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    // The last collection System.gc() ran is the full one (Parallel scavenges first).
    GcInfo last = null;
    for (GarbageCollectorMXBean c : collectors) {
      if (c instanceof com.sun.management.GarbageCollectorMXBean info
          && c.getCollectionCount() > before.getOrDefault(c.getName(), 0L)) {
        GcInfo gc = info.getLastGcInfo();
        if (gc != null && (last == null || gc.getEndTime() > last.getEndTime())) {
          last = gc;
        }
      }
    }
    if (last == null) {
      return new Reading(fallback, pause, false);
    }
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    long live = 0;
    for (Map.Entry<String, MemoryUsage> e : last.getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        live += e.getValue().getUsed();
      }
    }
    return new Reading(live, pause, true);
  }
}
