package io.troupe.bench.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.examples.montecarlo.Estimate;
import io.troupe.examples.montecarlo.MonteCarlo;
import io.troupe.examples.montecarlo.MonteCarloSequential;
import io.troupe.examples.primes.PrimesSequential;
import io.troupe.examples.primes.SegmentedSieve;
import io.troupe.examples.wordcount.Chunk;
import io.troupe.examples.wordcount.Chunker;
import io.troupe.examples.wordcount.WordCount;
import io.troupe.examples.wordcount.WordCountSequential;
import io.troupe.examples.wordcount.WordCounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The JDK's best idiom for each pipeline: a parallel stream (on the common fork/join pool) over the
 * same work items and the same compute kernel the sequential reference and the workers use, so the
 * comparison measures distribution, not code.
 */
final class ParallelStreams {

  private ParallelStreams() {}

  static JsonNode wordcount(Path file, long chunkSize, int top) throws IOException {
    List<Chunk> chunks = Chunker.plan(List.of(file), chunkSize);
    WordCounts all =
        chunks.parallelStream()
            .map(
                c -> {
                  WordCounts counts = new WordCounts();
                  try {
                    Chunker.countChunk(c, counts);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  return counts;
                })
            .reduce(
                (a, b) -> {
                  a.merge(b);
                  return a;
                })
            .orElseGet(WordCounts::new);
    WordCountSequential.Result r = WordCountSequential.result(all, top);
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("totalWords", r.totalWords());
    node.put("distinctWords", r.distinctWords());
    var list = node.putArray("top");
    for (WordCount w : r.top()) {
      list.addObject().put("word", w.word()).put("count", w.count());
    }
    return node;
  }

  static JsonNode primes(long limit, long segment) {
    int[] base = SegmentedSieve.basePrimes(limit);
    List<SegmentedSieve.Segment> segments =
        PrimesSequential.segments(limit, segment).parallelStream()
            .map(r -> SegmentedSieve.count(r[0], r[1], base))
            .toList();
    PrimesSequential.Result r = PrimesSequential.combine(segments);
    return JsonNodeFactory.instance
        .objectNode()
        .put("count", r.count())
        .put("largest", r.largest());
  }

  static JsonNode montecarlo(long paths, long seed, long batch) {
    List<MonteCarlo.Batch> batches =
        MonteCarloSequential.batches(paths, batch).parallelStream()
            .map(b -> MonteCarlo.batch(seed, b[0], b[1]))
            .toList();
    MonteCarlo.Result r = Estimate.of(batches).result();
    return JsonNodeFactory.instance
        .objectNode()
        .put("price", r.price())
        .put("stderr", r.stderr())
        .put("paths", r.paths())
        .put("blackScholes", r.blackScholes());
  }
}
