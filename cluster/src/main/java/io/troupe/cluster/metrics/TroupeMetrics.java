package io.troupe.cluster.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.troupe.cluster.internal.JobSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * A node's metrics: one Micrometer registry per actor system, rendered in Prometheus text format
 * for {@code GET /metrics}.
 *
 * <p>Job hosts and coordinators take a {@link JobMeters} per job; the node's own gauges (members,
 * shards, entities, worker dispatcher use) are kept by the {@link NodeMetrics} actor; JVM basics
 * come from Micrometer's binders. With {@code troupe.metrics.enabled = off} there is no registry,
 * every {@link JobMeters} records nothing, and {@link #scrape()} is empty.
 *
 * <p>Implementation notes: a job's series live as long as the job runs on this node and for the
 * last {@code keep-finished-jobs} finished jobs after it, so a node that runs jobs for months does
 * not accumulate series.
 */
public final class TroupeMetrics implements Extension {

  /** The extension's id. */
  public static final class Id extends ExtensionId<TroupeMetrics> {
    private Id() {}

    @Override
    public TroupeMetrics createExtension(ActorSystem<?> system) {
      return new TroupeMetrics(system);
    }
  }

  private static final Id ID = new Id();

  /** Returns the metrics of the given node's actor system. */
  public static TroupeMetrics get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  private final MetricsSettings settings;
  private final PrometheusMeterRegistry registry;
  private final LongAdder workerBusyNanos = new LongAdder();
  private final Deque<String> finishedJobs = new ArrayDeque<>();

  private TroupeMetrics(ActorSystem<?> system) {
    this.settings = MetricsSettings.create(system.settings().config());
    if (!settings.enabled()) {
      this.registry = null;
      return;
    }
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Keep the exposition clean for Prometheus' linter (promtool check metrics): a gauge may not
    // end in _count, and process_cpu_usage already covers the CPU time counter in nanoseconds.
    registry
        .config()
        .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count")
                    ? id.withName("system.cpu.cores")
                    : id;
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    FunctionCounter.builder(
            "troupe.dispatcher.busy", workerBusyNanos, busy -> busy.doubleValue() / 1e9)
        .description("Time the job workers spent processing items")
        .baseUnit("seconds")
        .tag("dispatcher", JobSettings.WORKER_DISPATCHER)
        .register(registry);
    system
        .getWhenTerminated()
        .thenRun(
            () -> {
              gc.close();
              registry.close();
            });
  }

  /** Returns the settings. */
  public MetricsSettings settings() {
    return settings;
  }

  /** Returns true when metrics are recorded. */
  public boolean enabled() {
    return registry != null;
  }

  /** Returns the registry, or empty when metrics are off. */
  public Optional<MeterRegistry> registry() {
    return Optional.ofNullable(registry);
  }

  /** Returns every meter in Prometheus text format (version 0.0.4), or "" when metrics are off. */
  public String scrape() {
    return registry == null ? "" : registry.scrape();
  }

  /**
   * Returns the meters of one job on this node.
   *
   * @param job the job's id
   * @param pipeline its pipeline's name
   * @return the job's meters; they record nothing when metrics are off
   */
  public JobMeters job(String job, String pipeline) {
    synchronized (finishedJobs) {
      finishedJobs.remove(job);
    }
    return registry == null ? JobMeters.NONE : new JobMeters(registry, job, pipeline, this);
  }

  /** Adds worker busy time to the node's dispatcher total. */
  void workerBusy(long nanos) {
    workerBusyNanos.add(nanos);
  }

  /** Returns the job workers' busy time on this node so far, in nanoseconds. */
  long workerBusyNanos() {
    return workerBusyNanos.sum();
  }

  /**
   * Registers a gauge once per name and tags; later calls with the same name and tags keep the
   * first gauge.
   */
  <T> void gauge(
      String name,
      String description,
      T state,
      java.util.function.ToDoubleFunction<T> f,
      String... tags) {
    if (registry != null) {
      Gauge.builder(name, state, f)
          .description(description)
          .tags(tags)
          .strongReference(true)
          .register(registry);
    }
  }

  /** Notes that a job ended on this node; the series of older finished jobs are removed. */
  void jobFinished(String job) {
    List<String> expired = new ArrayList<>();
    synchronized (finishedJobs) {
      if (!finishedJobs.contains(job)) {
        finishedJobs.addLast(job);
      }
      while (finishedJobs.size() > settings.keepFinishedJobs()) {
        expired.add(finishedJobs.removeFirst());
      }
    }
    for (String gone : expired) {
      for (Meter meter : List.copyOf(registry.getMeters())) {
        if (gone.equals(meter.getId().getTag("job"))) {
          registry.remove(meter);
        }
      }
    }
  }
}
