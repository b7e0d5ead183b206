package io.troupe.examples.crawl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates a static web site with a known link graph, for {@code troupe gen site}: the same pages
 * and seed give the same bytes. Page 0 is {@code /} ({@code index.html}); page i is {@code /s<i mod
 * 16>/page-<i>.html}. Every page is reachable through a random spanning tree, and random extra
 * links add cycles. The last pages form a chain that is reachable only deep; a few pages are linked
 * from nowhere; some links point at pages that do not exist ({@code /gone/...}), at plain text
 * files ({@code /files/...}, fetched but not pages), outside the site, or at the page itself. Links
 * are written in many forms (absolute path, relative, {@code ./}, {@code ../}, with fragments) that
 * normalise to the same URL.
 *
 * <p>{@link #expected()} computes what a crawl from {@code /} must report, by a breadth-first
 * search over the graph the generator built — independently of the crawler's own code — and {@link
 * #write} stores it as {@code crawl-expected.json} beside the pages.
 */
public final class SiteGenerator {

  /** Pages per directory bucket: page i lives in {@code /s<i mod BUCKETS>/}. */
  private static final int BUCKETS = 16;

  private static final String[] WORDS = {
    "actor",
    "mailbox",
    "supervisor",
    "shard",
    "cluster",
    "ledger",
    "journal",
    "snapshot",
    "worker",
    "message",
    "backpressure",
    "stream",
    "partition",
    "replica",
    "quorum",
    "gossip",
    "membership",
    "failover",
    "latency",
    "throughput",
    "credit",
    "item",
    "job",
    "pipeline",
    "stage",
    "reducer",
  };

  private final int pages;
  private final int brokenTargets;
  private final int fileTargets;
  private final int chainStart;
  private final int orphanStart;
  // Targets: [0, pages) pages, then broken targets, then files. Out-links of each page, in order.
  private final List<List<Integer>> out = new ArrayList<>();
  private final List<List<String>> extras = new ArrayList<>();

  private SiteGenerator(int pages, long seed) {
    this.pages = pages;
    this.brokenTargets = Math.max(1, pages / 50);
    this.fileTargets = Math.max(1, pages / 100);
    int orphans = pages >= 10 ? Math.max(1, pages / 100) : 0;
    int chain = pages >= 20 ? Math.min(25, pages / 10) : 0;
    this.orphanStart = pages - orphans;
    this.chainStart = orphanStart - chain;
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < pages; i++) {
      out.add(new ArrayList<>());
      extras.add(new ArrayList<>());
    }
    // The main pages [0, chainStart): a spanning tree with parents close before them, then extras.
    for (int i = 1; i < chainStart; i++) {
      out.get(random.nextInt(Math.max(0, i - 40), i)).add(i);
    }
    for (int i = 0; i < chainStart; i++) {
      List<Integer> links = out.get(i);
      int extra = 2 + random.nextInt(8);
      for (int k = 0; k < extra; k++) {
        // Mostly nearby pages, sometimes anywhere: cycles, back links, popular pages.
        int target =
            random.nextInt(4) == 0
                ? random.nextInt(Math.min(chainStart, 1 + random.nextInt(chainStart)))
                : Math.min(chainStart - 1, i + 1 + random.nextInt(30));
        links.add(target);
      }
      if (random.nextInt(3) == 0) {
        links.add(0);
      }
      if (random.nextInt(8) == 0) {
        links.add(i); // to itself, e.g. "#top"
      }
      if (random.nextInt(20) == 0) {
        links.add(pages + random.nextInt(brokenTargets));
      }
      if (random.nextInt(30) == 0) {
        links.add(pages + brokenTargets + random.nextInt(fileTargets));
      }
      if (random.nextInt(5) == 0) {
        extras.get(i).add("https://example.org/elsewhere/" + random.nextInt(1000) + ".html");
      }
      if (random.nextInt(10) == 0) {
        extras.get(i).add("mailto:team" + random.nextInt(100) + "@example.org");
      }
    }
    // The chain: reachable only through its head, one page after another.
    if (chain > 0) {
      out.get(random.nextInt(1, chainStart)).add(chainStart);
      for (int i = chainStart; i < orphanStart - 1; i++) {
        out.get(i).add(i + 1);
      }
      out.get(orphanStart - 1).add(0);
    }
    // Orphans link into the site, but nothing links to them.
    for (int i = orphanStart; i < pages; i++) {
      out.get(i).add(0);
      out.get(i).add(random.nextInt(Math.max(1, chainStart)));
    }
    this.seedForForms = random.nextLong();
  }

  private final long seedForForms;

  /**
   * Builds the graph of a site.
   *
   * @param pages how many HTML pages; at least 1
   * @param seed the seed
   * @return the generator, ready to {@link #write}
   */
  public static SiteGenerator of(int pages, long seed) {
    if (pages < 1 || pages > 1_000_000) {
      throw new IllegalArgumentException("pages must be between 1 and 1000000, was " + pages);
    }
    return new SiteGenerator(pages, seed);
  }

  /** Returns the path of a target: a page, a missing page or a text file. */
  String path(int target) {
    if (target == 0) {
      return "/";
    }
    if (target < pages) {
      return "/s" + (target % BUCKETS) + "/page-" + target + ".html";
    }
    if (target < pages + brokenTargets) {
      return "/gone/page-" + (target - pages) + ".html";
    }
    return "/files/data-" + (target - pages - brokenTargets) + ".txt";
  }

  private static String dir(String path) {
    return path.substring(0, path.lastIndexOf('/') + 1);
  }

  /** Writes the link to a target from a page in one of several equivalent forms. */
  private String href(int from, int target, SplittableRandom random) {
    String to = path(target);
    String fromDir = dir(path(from));
    String fragment = random.nextInt(6) == 0 ? "#part-" + random.nextInt(5) : "";
    if (from == target && random.nextBoolean()) {
      return "#top";
    }
    switch (random.nextInt(4)) {
      case 0:
        return to + fragment;
      case 1:
        if (dir(to).equals(fromDir)) {
          String name = to.substring(fromDir.length());
          return (name.isEmpty() ? "./" : "./" + name) + fragment;
        }
        return to + fragment;
      default:
        if (fromDir.equals("/")) {
          return to.substring(1).isEmpty() ? "./" + fragment : to.substring(1) + fragment;
        }
        // One level down from the root: climb to it first.
        return ".." + to + fragment;
    }
  }

  /**
   * Writes the site: HTML pages, text files and {@code crawl-expected.json}.
   *
   * @param dir the directory; created if missing
   * @throws IOException if a file cannot be written
   */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(seedForForms);
    for (int i = 0; i < pages; i++) {
      StringBuilder html = new StringBuilder(4096);
      html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">")
          .append("<title>Page ")
          .append(i)
          .append("</title></head>\n<body>\n<h1 id=\"top\">Page ")
          .append(i)
          .append("</h1>\n<p>");
      int words = 60 + random.nextInt(240);
      for (int w = 0; w < words; w++) {
        html.append(WORDS[random.nextInt(WORDS.length)]).append(w % 17 == 16 ? ".\n" : " ");
      }
      html.append("</p>\n<ul>\n");
      for (int target : out.get(i)) {
        html.append("<li><a href=\"")
            .append(href(i, target, random))
            .append("\">")
            .append(path(target))
            .append("</a></li>\n");
        if (random.nextInt(10) == 0) {
          // The same target again, written differently: still one link.
          html.append("<li><a href=\"").append(path(target)).append("#again\">again</a></li>\n");
        }
      }
      for (String extra : extras.get(i)) {
        html.append("<li><a href=\"").append(extra).append("\">elsewhere</a></li>\n");
      }
      html.append("</ul>\n</body>\n</html>\n");
      Path file = dir.resolve(i == 0 ? "index.html" : path(i).substring(1));
      Files.createDirectories(file.getParent());
      Files.writeString(file, html, StandardCharsets.UTF_8);
    }
    for (int f = 0; f < fileTargets; f++) {
      Path file = dir.resolve(path(pages + brokenTargets + f).substring(1));
      Files.createDirectories(file.getParent());
      Files.writeString(file, "plain text " + f + "\n", StandardCharsets.UTF_8);
    }
    new ObjectMapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("crawl-expected.json").toFile(), expected());
  }

  /**
   * Returns what a crawl from {@code /} must report: {@code pages}, {@code links}, {@code broken},
   * {@code maxDepth}, {@code depthHistogram} (pages per depth) and {@code topInDegree}, with paths
   * instead of URLs (prefix them with the site's origin), plus {@code sitePages}, every page
   * written.
   *
   * @return the expected figures
   */
  public ObjectNode expected() {
    int[] depth = new int[pages];
    Arrays.fill(depth, -1);
    depth[0] = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(0));
    List<Integer> reached = new ArrayList<>();
    while (!queue.isEmpty()) {
      int p = queue.poll();
      reached.add(p);
      for (int t : out.get(p)) {
        if (t < pages && depth[t] < 0) {
          depth[t] = depth[p] + 1;
          queue.add(t);
        }
      }
    }
    int[] inDegree = new int[pages + brokenTargets + fileTargets];
    long links = 0;
    Set<Integer> broken = new LinkedHashSet<>();
    int maxDepth = 0;
    for (int p : reached) {
      maxDepth = Math.max(maxDepth, depth[p]);
      Set<Integer> distinct = new LinkedHashSet<>(out.get(p));
      links += distinct.size();
      for (int t : distinct) {
        inDegree[t]++;
        if (t >= pages && t < pages + brokenTargets) {
          broken.add(t);
        }
      }
    }
    int[] histogram = new int[maxDepth + 1];
    for (int p : reached) {
      histogram[depth[p]]++;
    }
    List<Integer> ranked = new ArrayList<>();
    for (int t = 0; t < inDegree.length; t++) {
      if (inDegree[t] > 0) {
        ranked.add(t);
      }
    }
    ranked.sort(Comparator.<Integer>comparingInt(t -> -inDegree[t]).thenComparing(this::path));
    ObjectNode node = new ObjectMapper().createObjectNode();
    node.put("sitePages", pages);
    node.put("pages", reached.size());
    node.put("links", links);
    node.put("broken", broken.size());
    node.put("maxDepth", maxDepth);
    ArrayNode hist = node.putArray("depthHistogram");
    for (int d = 0; d <= maxDepth; d++) {
      hist.addObject().put("depth", d).put("pages", histogram[d]);
    }
    ArrayNode top = node.putArray("topInDegree");
    for (int t : ranked.subList(0, Math.min(CrawlPipeline.TOP, ranked.size()))) {
      top.addObject().put("path", path(t)).put("inDegree", inDegree[t]);
    }
    return node;
  }
}
