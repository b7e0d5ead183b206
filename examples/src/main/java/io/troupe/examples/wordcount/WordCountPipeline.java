package io.troupe.examples.wordcount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.actors.TroupeMessage;
import io.troupe.actors.Work;
import io.troupe.actors.Workers;
import io.troupe.cluster.ItemResult;
import io.troupe.cluster.KeyedReducer;
import io.troupe.cluster.Pipeline;
import io.troupe.cluster.Reducers;
import io.troupe.examples.PipelineOptions;
import io.troupe.persistence.JobLogic;
import io.troupe.persistence.QuarantinedItem;
import io.troupe.persistence.WorkItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import picocli.CommandLine.Option;

/**
 * Word count, MapReduce style: the input is cut into chunks only between words, each chunk is
 * counted by a worker, and the per-chunk tables are summed. Data parallelism: the work is the data.
 */
public final class WordCountPipeline implements Pipeline<WordCountPipeline.Options> {

  /**
   * The corpus used when no input is given: 64 MB, seed 42, generated once under data/. The name
   * carries the generator's version ({@code v2}); bump it whenever the generator's output changes,
   * or old cached files would be reused.
   */
  static final Path DEFAULT_CORPUS = Path.of("data", "corpus", "wordcount-64MB-seed42-v2.txt");

  static final long DEFAULT_CORPUS_SIZE = 64L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The options of wordcount. */
  public static final class Options {
    @Option(
        names = "--input",
        arity = "1..*",
        paramLabel = "PATH",
        description =
            "Files or directories (recursive, sorted); default: a generated 64 MB corpus.")
    List<Path> inputs = new ArrayList<>();

    @Option(
        names = "--top",
        paramLabel = "N",
        description = "How many of the most frequent words to list (default 20).")
    int top = 20;

    @Option(
        names = "--chunk-size",
        paramLabel = "SIZE",
        description = "Bytes per work item, e.g. 4MB (default 4MB); chunks end between words.")
    String chunkSize = "4MB";

    @Option(
        names = "--shuffle",
        description =
            "Send each chunk's counts to keyed reducers spread over the cluster (by word hash)"
                + " instead of to the coordinator.")
    boolean shuffle;

    @Option(
        names = "--reducers",
        paramLabel = "N",
        description = "Reducer shards with --shuffle (default 8).")
    int reducers = 8;

    long chunkBytes;

    /** Returns the inputs, or the default corpus when none were given. */
    List<Path> inputs() {
      return inputs.isEmpty() ? List.of(DEFAULT_CORPUS.toAbsolutePath()) : inputs;
    }
  }

  /**
   * A work item: one chunk of one file.
   *
   * @param file absolute path of the file
   * @param offset first byte
   * @param length number of bytes
   */
  public record ChunkRef(String file, long offset, long length) implements TroupeMessage {}

  @Override
  public String name() {
    return "wordcount";
  }

  @Override
  public String description() {
    return "MapReduce word count over files (default: a generated 64 MB corpus)";
  }

  @Override
  public String usage() {
    return PipelineOptions.usage(Options::new);
  }

  @Override
  public Options parse(List<String> args) {
    Options o = PipelineOptions.parse(name(), Options::new, args);
    PipelineOptions.require(o.top >= 0, name(), "--top must not be negative, was " + o.top);
    try {
      o.chunkBytes = CorpusGenerator.parseSize(o.chunkSize);
    } catch (IllegalArgumentException e) {
      PipelineOptions.require(false, name(), "--chunk-size: " + e.getMessage());
    }
    PipelineOptions.require(o.chunkBytes >= 1, name(), "--chunk-size must be at least 1 byte");
    PipelineOptions.require(
        o.reducers >= 1 && o.reducers <= 1024,
        name(),
        "--reducers must be between 1 and 1024, was " + o.reducers);
    o.inputs = o.inputs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    return o;
  }

  @Override
  public void prepare(Options o) throws IOException {
    // Checked here, not in parse: a job's ledger re-parses its options when it recovers, and a
    // vanished input must fail that job's planning, not its recovery.
    for (Path input : o.inputs) {
      PipelineOptions.require(
          Files.exists(input), name(), "--input: no such file or directory: " + input);
    }
    if (o.inputs.isEmpty()) {
      ensureDefaultCorpus();
    }
  }

  /** Lists the input files (the default corpus when none were given). */
  static List<Path> files(Options o) throws IOException {
    try {
      return Chunker.listInputs(o.inputs());
    } catch (NoSuchFileException e) {
      throw new IOException("input disappeared: " + e.getMessage(), e);
    }
  }

  private static void ensureDefaultCorpus() throws IOException {
    Path corpus = DEFAULT_CORPUS.toAbsolutePath();
    if (Files.isRegularFile(corpus) && Files.size(corpus) == DEFAULT_CORPUS_SIZE) {
      return;
    }
    Files.createDirectories(corpus.getParent());
    // Generate beside the target and move atomically, so concurrent runs never read half a file.
    Path tmp = Files.createTempFile(corpus.getParent(), "corpus", ".tmp");
    try {
      CorpusGenerator.generate(tmp, DEFAULT_CORPUS_SIZE, 42);
      Files.move(tmp, corpus, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public List<WorkItem> plan(Options o) throws IOException {
    List<WorkItem> items = new ArrayList<>();
    for (Chunk c : Chunker.plan(files(o), o.chunkBytes)) {
      items.add(
          new WorkItem(
              "chunk-" + items.size(), "count", new ChunkRef(c.file(), c.offset(), c.length())));
    }
    return items;
  }

  @Override
  public Behavior<Work<WorkItem, ItemResult>> worker(Options o) {
    return Workers.fromFunction(item -> ItemResult.of(new WordTally(count(item))));
  }

  @Override
  public Behavior<Work<WorkItem, ItemResult>> worker(Options o, String job) {
    return o.shuffle ? ShuffleWorker.create(name(), job, o.reducers) : worker(o);
  }

  /** Counts the words of one chunk item. */
  static WordCounts count(WorkItem item) {
    ChunkRef ref = (ChunkRef) item.payload();
    WordCounts counts = new WordCounts();
    try {
      Chunker.countChunk(new Chunk(ref.file(), ref.offset(), ref.length()), counts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counts;
  }

  @Override
  public Optional<JobLogic> reducer() {
    return Optional.of(tallyLogic(20));
  }

  @Override
  public Optional<Pipeline.Finisher> finisher(Options o) {
    if (!o.shuffle) {
      return Optional.empty();
    }
    // Gather every reducer shard's table; the shards hold disjoint words, so merging them gives
    // exactly the counts of the whole input.
    return Optional.of(
        (system, job) -> {
          Reducers reducers = new Reducers(system, java.time.Duration.ofMinutes(1));
          List<CompletableFuture<KeyedReducer.Merged>> shards = new ArrayList<>();
          for (int shard = 0; shard < o.reducers; shard++) {
            shards.add(reducers.get(name(), job, shard).toCompletableFuture());
          }
          return CompletableFuture.allOf(shards.toArray(CompletableFuture[]::new))
              .thenApply(
                  done -> {
                    WordCounts all = new WordCounts();
                    shards.forEach(f -> all.merge(((WordTally) f.join().state()).counts()));
                    return new WordTally(all);
                  });
        });
  }

  @Override
  public JobLogic logic(Options o) {
    return tallyLogic(o.top);
  }

  private static JobLogic tallyLogic(int top) {
    return new JobLogic() {
      @Override
      public TroupeMessage zero() {
        return new WordTally(new WordCounts());
      }

      @Override
      public TroupeMessage merge(TroupeMessage accumulator, TroupeMessage partial) {
        ((WordTally) accumulator).counts().merge(((WordTally) partial).counts());
        return accumulator;
      }

      @Override
      public TroupeMessage copy(TroupeMessage accumulator) {
        return ((WordTally) accumulator).copy();
      }

      @Override
      public JsonNode result(TroupeMessage accumulator, List<QuarantinedItem> quarantined) {
        return toJson(WordCountSequential.result(((WordTally) accumulator).counts(), top));
      }
    };
  }

  @Override
  public JsonNode sequential(Options o) throws IOException {
    prepare(o);
    return toJson(WordCountSequential.result(WordCountSequential.count(files(o)), o.top));
  }

  private static JsonNode toJson(WordCountSequential.Result r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("totalWords", r.totalWords());
    node.put("distinctWords", r.distinctWords());
    var top = node.putArray("top");
    for (WordCount w : r.top()) {
      top.addObject().put("word", w.word()).put("count", w.count());
    }
    return node;
  }
}
