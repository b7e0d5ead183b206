package io.troupe.examples.crawl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.Confinement;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.PipelineOptions;
import io.troupe.sdk.PipelineUsageException;
import io.troupe.sdk.Task;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import picocli.CommandLine.Option;

/**
 * A web crawler: concurrent I/O beside parallel CPU work. Each URL is a work item whose id is the
 * normalised URL, so a link found on many pages is fetched once. A worker fetches its URL with a
 * non-blocking HTTP request, parses the HTML when the body arrives and answers with the page's
 * links as new items of the same job; with {@code --concurrency C} workers per node, at most C
 * fetches are in flight per node while parsing runs on the worker threads. Connections to one host
 * are capped at {@code --per-host}. The result's depths are the shortest link distances from the
 * start URL, computed from the link graph at the end, so they do not depend on the order pages were
 * fetched in.
 *
 * <p>The crawler connects only to public addresses unless the node allows others ({@code
 * troupe.pipelines.allow-addresses}): the start URL's host is checked when the job is submitted,
 * and every connection, to the start URL or to a link found, is checked again after the name lookup
 * and goes to the address checked.
 */
public final class CrawlPipeline
    implements Pipeline<CrawlPipeline.Options, CrawlPipeline.Fetch, Crawled> {

  /** How many URLs {@code topInDegree} lists. */
  static final int TOP = 10;

  /** The options of crawl. */
  public static final class Options {
    @Option(
        names = "--url",
        required = true,
        paramLabel = "URL",
        description =
            "Where to start (an http or https URL). Only public addresses, unless the node's"
                + " troupe.pipelines.allow-addresses lists others (troupe run allows loopback).")
    String url;

    @Option(
        names = "--max-pages",
        paramLabel = "N",
        description =
            "Most URLs to fetch, pages, broken links and other responses together (default"
                + " 10000); a site with fewer gives exact results.")
    long maxPages = 10_000;

    @Option(
        names = "--concurrency",
        paramLabel = "C",
        description = "Fetches in flight per node (default 16).")
    int concurrency = 16;

    @Option(
        names = "--per-host",
        paramLabel = "P",
        description = "Politeness: most connections per node to one host (default 8).")
    int perHost = 8;

    @Option(
        names = "--same-host",
        negatable = true,
        // picocli's way for an option that is on by default: without both, --no-same-host
        // would set it to true and --same-host to false.
        defaultValue = "true",
        fallbackValue = "true",
        description = "Follow only links to the start URL's scheme, host and port (default on).")
    boolean sameHost = true;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        description =
            "Most time per request, waiting for a connection to its host included (default 10).")
    int timeoutSeconds = 10;

    String start;

    /** The policy the options were checked under, which the sequential reference obeys too. */
    Confinement confinement;
  }

  /**
   * A work item: one URL to fetch.
   *
   * @param url the normalised URL
   */
  public record Fetch(String url) implements TroupeMessage {}

  @Override
  public String name() {
    return "crawl";
  }

  @Override
  public String description() {
    return "crawls a web site: non-blocking fetches beside parallel HTML parsing (concurrent I/O)";
  }

  @Override
  public Options newOptions() {
    return new Options();
  }

  @Override
  public void validate(Options o) {
    o.start =
        Urls.normalize(o.url)
            .orElseThrow(
                () ->
                    new PipelineUsageException(
                        "--url must be an absolute http or https URL, was " + o.url));
    // Refused now, as a usage error, if the host is (or resolves to) an address this node does not
    // connect to; each connection is checked again when it is opened.
    Confinement.resolve(java.net.URI.create(o.start).getHost(), "--url");
    o.confinement = Confinement.current();
    PipelineOptions.require(o.maxPages >= 1, "--max-pages must be at least 1, was " + o.maxPages);
    PipelineOptions.require(
        o.concurrency >= 1 && o.concurrency <= 1024,
        "--concurrency must be between 1 and 1024, was " + o.concurrency);
    PipelineOptions.require(
        o.perHost >= 1 && o.perHost <= 1024,
        "--per-host must be between 1 and 1024, was " + o.perHost);
    PipelineOptions.require(
        o.timeoutSeconds >= 1 && o.timeoutSeconds <= 600,
        "--timeout must be between 1 and 600 seconds, was " + o.timeoutSeconds);
  }

  static Predicate<String> scope(Options o) {
    if (!o.sameHost) {
      return url -> true;
    }
    String origin = Urls.origin(o.start);
    return url -> Urls.origin(url).equals(origin);
  }

  @Override
  public List<WorkItem<Fetch>> plan(Options o) {
    return List.of(item(o.start));
  }

  private static WorkItem<Fetch> item(String url) {
    return WorkItem.of(url, "fetch", new Fetch(url));
  }

  @Override
  public long maxItems(Options o) {
    return o.maxPages;
  }

  @Override
  public int workersPerNode(Options o, int configured) {
    return o.concurrency;
  }

  @Override
  public Behavior<Task<Fetch, Crawled>> worker(JobContext<Options> job) {
    Options o = job.options();
    return Behaviors.<Object>setup(
            ctx ->
                Behaviors.withStash(
                    // The job's credit bounds what waits here (max-in-flight-per-worker).
                    1024,
                    stash ->
                        new CrawlWorker(
                                ctx,
                                stash,
                                new Fetcher(
                                    ctx.getSystem(),
                                    job.confinement(),
                                    o.perHost,
                                    o.concurrency,
                                    Duration.ofSeconds(o.timeoutSeconds)),
                                scope(o))
                            .idle()))
        .narrow();
  }

  /**
   * One worker: fetches one URL at a time without blocking a thread, then parses the page on its
   * own (worker) thread. Items that arrive meanwhile wait in its stash.
   */
  private static final class CrawlWorker {
    private final ActorContext<Object> ctx;
    private final StashBuffer<Object> stash;
    private final Fetcher fetcher;
    private final Predicate<String> inScope;

    private record Fetched(Task<Fetch, Crawled> task, Fetcher.Response response) {}

    CrawlWorker(
        ActorContext<Object> ctx,
        StashBuffer<Object> stash,
        Fetcher fetcher,
        Predicate<String> inScope) {
      this.ctx = ctx;
      this.stash = stash;
      this.fetcher = fetcher;
      this.inScope = inScope;
    }

    Behavior<Object> idle() {
      return Behaviors.receive(Object.class).onMessage(Task.class, this::start).build();
    }

    @SuppressWarnings("unchecked") // a crawl worker only ever receives Task<Fetch, Crawled>
    private Behavior<Object> start(Task<?, ?> raw) {
      Task<Fetch, Crawled> task = (Task<Fetch, Crawled>) raw;
      String url = task.payload().url();
      ctx.pipeToSelf(
          fetcher.get(url),
          (response, error) ->
              new Fetched(
                  task,
                  error == null ? response : new Fetcher.Response(0, null, error.toString())));
      return Behaviors.receive(Object.class)
          .onMessage(Fetched.class, this::finish)
          .onAnyMessage(
              other -> {
                stash.stash(other);
                return Behaviors.same();
              })
          .build();
    }

    private Behavior<Object> finish(Fetched fetched) {
      Task<Fetch, Crawled> task = fetched.task();
      try {
        Answer answer = answer(task.payload().url(), fetched.response(), inScope);
        task.complete(answer.partial(), answer.found());
      } catch (RuntimeException e) {
        task.fail(e);
      }
      return stash.unstashAll(idle());
    }
  }

  /**
   * What a fetched URL contributes.
   *
   * @param partial the page, broken link or other response
   * @param found the page's in-scope links, as new items
   */
  record Answer(Crawled partial, List<WorkItem<Fetch>> found) {}

  /** Turns a response into the item's answer: the page's links become new items. */
  static Answer answer(String url, Fetcher.Response r, Predicate<String> inScope) {
    if (r.error() != null) {
      return new Answer(Crawled.broken(url, r.error()), List.of());
    }
    if (r.status() >= 400) {
      return new Answer(Crawled.broken(url, "HTTP " + r.status()), List.of());
    }
    if (r.html() == null) {
      return new Answer(Crawled.other(url), List.of());
    }
    List<String> links = PageParser.links(url, r.html(), inScope);
    List<WorkItem<Fetch>> found = new ArrayList<>(links.size());
    for (String link : links) {
      found.add(item(link));
    }
    return new Answer(Crawled.page(url, links), found);
  }

  @Override
  public Combiner<Crawled> combiner(Options o) {
    return new Combiner<>() {
      @Override
      public Crawled zero() {
        return Crawled.empty();
      }

      @Override
      public Crawled merge(Crawled accumulator, Crawled partial) {
        return Crawled.merge(accumulator, partial);
      }

      @Override
      public Crawled copy(Crawled accumulator) {
        return Crawled.copy(accumulator);
      }

      @Override
      public Object result(Crawled accumulator, List<io.troupe.sdk.QuarantinedItem> quarantined) {
        return json(o, accumulator);
      }
    };
  }

  @Override
  public Optional<JsonNode> sequential(Options o) throws InterruptedException {
    return Optional.of(
        json(
            o,
            new SequentialCrawler(o.confinement, Duration.ofSeconds(o.timeoutSeconds))
                .crawl(o.start, o.maxPages, scope(o))));
  }

  static JsonNode json(Options o, Crawled crawled) {
    Crawled.Summary s = crawled.summarize(o.start, TOP);
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("start", o.start);
    node.put("pages", s.pages());
    node.put("links", s.links());
    node.put("broken", s.broken());
    node.put("maxDepth", s.maxDepth());
    ArrayNode top = node.putArray("topInDegree");
    for (Map.Entry<String, Integer> e : s.topInDegree()) {
      top.addObject().put("url", e.getKey()).put("inDegree", e.getValue());
    }
    ArrayNode histogram = node.putArray("depthHistogram");
    for (int d = 0; d < s.depthHistogram().size(); d++) {
      histogram.addObject().put("depth", d).put("pages", s.depthHistogram().get(d));
    }
    node.put("fetched", s.fetched());
    node.put("complete", s.unfetched() == 0);
    if (!crawled.pages().containsKey(o.start)) {
      node.put(
          "startNotFetched",
          crawled.broken().getOrDefault(o.start, "not an HTML page (2xx text/html)"));
    }
    return node;
  }
}
