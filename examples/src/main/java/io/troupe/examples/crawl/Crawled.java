package io.troupe.examples.crawl;

import io.troupe.sdk.TroupeMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a crawl fetched: a partial result (one URL) and the job's accumulator (every URL). Maps and
 * sets grow in place when this is the accumulator.
 *
 * @param pages each fetched page (2xx HTML) with its distinct in-scope links
 * @param broken fetched URLs that answered 400 or more, or could not be fetched, with why
 * @param other fetched URLs that are neither: redirects, other content types, other statuses
 */
public record Crawled(
    Map<String, List<String>> pages, Map<String, String> broken, Set<String> other)
    implements TroupeMessage {

  /** Returns an empty accumulator that grows in place. */
  public static Crawled empty() {
    return new Crawled(new HashMap<>(), new HashMap<>(), new HashSet<>());
  }

  /** Returns the partial of a fetched page. */
  public static Crawled page(String url, List<String> links) {
    return new Crawled(Map.of(url, List.copyOf(links)), Map.of(), Set.of());
  }

  /** Returns the partial of a URL that answered 400 or more or could not be fetched. */
  public static Crawled broken(String url, String why) {
    return new Crawled(Map.of(), Map.of(url, why), Set.of());
  }

  /** Returns the partial of a URL that is neither a page nor broken. */
  public static Crawled other(String url) {
    return new Crawled(Map.of(), Map.of(), Set.of(url));
  }

  /** Returns the number of URLs fetched. */
  public int fetched() {
    return pages.size() + broken.size() + other.size();
  }

  /**
   * Adds a partial to an accumulator, in place when the accumulator is one of {@link #empty()}'s
   * (or a copy of one).
   *
   * @param accumulator the accumulator
   * @param partial the partial; not modified
   * @return the accumulator with the partial added
   */
  public static Crawled merge(Crawled accumulator, Crawled partial) {
    Crawled into = accumulator.growable() ? accumulator : copy(accumulator);
    into.pages.putAll(partial.pages);
    into.broken.putAll(partial.broken);
    into.other.addAll(partial.other);
    return into;
  }

  private boolean growable() {
    return pages instanceof HashMap && broken instanceof HashMap && other instanceof HashSet;
  }

  /** Returns an independent copy that grows in place. */
  public static Crawled copy(Crawled c) {
    return new Crawled(new HashMap<>(c.pages), new HashMap<>(c.broken), new HashSet<>(c.other));
  }

  /**
   * The figures of a crawl, as the result reports them.
   *
   * @param pages distinct URLs fetched with a 2xx HTML response
   * @param links distinct (from, to) pairs of in-scope URLs on those pages
   * @param broken distinct linked URLs that answered 400 or more or could not be fetched
   * @param maxDepth the largest link distance from the start among fetched pages
   * @param depthHistogram fetched pages by link distance from the start
   * @param topInDegree the URLs linked from the most distinct pages, most first, ties by URL
   * @param fetched every URL requested
   * @param unfetched linked in-scope URLs never fetched (the crawl hit its limit or gave up)
   */
  public record Summary(
      int pages,
      long links,
      int broken,
      int maxDepth,
      List<Integer> depthHistogram,
      List<Map.Entry<String, Integer>> topInDegree,
      int fetched,
      int unfetched) {}

  /**
   * Computes the figures; depths are the shortest link distances from {@code start} over the
   * fetched pages, whatever order the pages were fetched in.
   *
   * @param start the normalised start URL
   * @param top how many URLs {@code topInDegree} lists
   * @return the figures
   */
  public Summary summarize(String start, int top) {
    Map<String, Integer> inDegree = new HashMap<>();
    long links = 0;
    for (List<String> out : pages.values()) {
      links += out.size();
      for (String to : out) {
        inDegree.merge(to, 1, Integer::sum);
      }
    }
    int brokenLinked = 0;
    for (String url : broken.keySet()) {
      if (inDegree.containsKey(url)) {
        brokenLinked++;
      }
    }
    int unfetched = 0;
    for (String url : inDegree.keySet()) {
      if (!pages.containsKey(url) && !broken.containsKey(url) && !other.contains(url)) {
        unfetched++;
      }
    }
    Map<String, Integer> depth = new HashMap<>();
    List<Integer> histogram = new ArrayList<>();
    if (pages.containsKey(start)) {
      ArrayDeque<String> queue = new ArrayDeque<>();
      depth.put(start, 0);
      queue.add(start);
      while (!queue.isEmpty()) {
        String url = queue.poll();
        int d = depth.get(url);
        if (histogram.size() == d) {
          histogram.add(0);
        }
        histogram.set(d, histogram.get(d) + 1);
        for (String to : pages.get(url)) {
          if (pages.containsKey(to) && !depth.containsKey(to)) {
            depth.put(to, d + 1);
            queue.add(to);
          }
        }
      }
    }
    List<Map.Entry<String, Integer>> ranked = new ArrayList<>(inDegree.entrySet());
    ranked.sort(
        Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    List<Map.Entry<String, Integer>> topList =
        ranked.subList(0, Math.min(top, ranked.size())).stream()
            .map(e -> Map.entry(e.getKey(), e.getValue()))
            .toList();
    return new Summary(
        pages.size(),
        links,
        brokenLinked,
        Math.max(0, histogram.size() - 1),
        List.copyOf(histogram),
        topList,
        fetched(),
        unfetched);
  }
}
