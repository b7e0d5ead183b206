package io.troupe.examples.wordcount;

import io.troupe.sdk.Combiner;
import io.troupe.sdk.Confinement;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.KeyedState;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.PipelineOptions;
import io.troupe.sdk.PipelineUsageException;
import io.troupe.sdk.Task;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import io.troupe.sdk.Workers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import picocli.CommandLine.Option;

/**
 * Word count, MapReduce style: the input is cut into chunks only between words, each chunk is
 * counted by a worker, and the per-chunk tables are summed. Data parallelism: the work is the data.
 */
public final class WordCountPipeline
    implements Pipeline<WordCountPipeline.Options, WordCountPipeline.ChunkRef, WordTally> {

  /**
   * The corpus used when no input is given: 64 MB, seed 42, generated once under data/. The name
   * carries the generator's version ({@code v2}); bump it whenever the generator's output changes,
   * or old cached files would be reused.
   */
  static final Path DEFAULT_CORPUS = Path.of("data", "corpus", "wordcount-64MB-seed42-v2.txt");

  static final long DEFAULT_CORPUS_SIZE = 64L << 20;

  /** The most words {@code --top} may list. */
  static final int MAX_TOP = 10_000;

  /** The options of wordcount. */
  public static final class Options {
    @Option(
        names = "--input",
        arity = "1..*",
        paramLabel = "PATH",
        description =
            "Files or directories (recursive, sorted; links inside directories are skipped), under"
                + " the node's input roots (troupe.pipelines.input-roots; troupe run: the current"
                + " directory); default: a generated 64 MB corpus.")
    List<Path> inputs = new ArrayList<>();

    @Option(
        names = "--top",
        paramLabel = "N",
        description = "How many of the most frequent words to list (default 20, at most 10000).")
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
  public Options newOptions() {
    return new Options();
  }

  @Override
  public void validate(Options o) {
    PipelineOptions.require(
        o.top >= 0 && o.top <= MAX_TOP,
        "--top must be between 0 and " + MAX_TOP + ", was " + o.top);
    try {
      o.chunkBytes = CorpusGenerator.parseSize(o.chunkSize);
    } catch (IllegalArgumentException e) {
      throw new PipelineUsageException("--chunk-size: " + e.getMessage(), e);
    }
    PipelineOptions.require(o.chunkBytes >= 1, "--chunk-size must be at least 1 byte");
    PipelineOptions.require(
        o.reducers >= 1 && o.reducers <= 1024,
        "--reducers must be between 1 and 1024, was " + o.reducers);
    // Each input by its real path under an input root of this node; one outside is refused
    // without saying whether it exists.
    o.inputs = o.inputs.stream().map(p -> Confinement.input(p, "--input")).toList();
  }

  @Override
  public void prepare(Options o) throws IOException {
    // validate checked the inputs when the job was submitted; one may have vanished since.
    for (Path input : o.inputs) {
      PipelineOptions.require(
          Files.exists(input), name() + ": --input: no such file or directory: " + input);
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
  public List<WorkItem<ChunkRef>> plan(Options o) throws IOException {
    List<WorkItem<ChunkRef>> items = new ArrayList<>();
    for (Chunk c : Chunker.plan(files(o), o.chunkBytes)) {
      items.add(
          WorkItem.of(
              "chunk-" + items.size(), "count", new ChunkRef(c.file(), c.offset(), c.length())));
    }
    return items;
  }

  @Override
  public Behavior<Task<ChunkRef, WordTally>> worker(JobContext<Options> job) {
    if (job.options().shuffle) {
      return ShuffleWorker.create(job.keyedState(), job.options().reducers);
    }
    // Called once per worker: the counter is this worker's own, kept from chunk to chunk.
    ChunkCounter counter = new ChunkCounter();
    return Workers.of(ref -> new WordTally(counter.count(ref)));
  }

  /** Counts the words of one chunk. */
  static WordCounts count(ChunkRef ref) throws IOException {
    return new ChunkCounter().count(ref);
  }

  /**
   * Counts chunk after chunk for one worker: reuses the read buffer and the scanner, and sizes each
   * chunk's table for the number of distinct words the previous chunk had, so that a table rarely
   * grows (and rehashes) while it is being filled.
   */
  static final class ChunkCounter {
    private final Utf8WordCounter counter = new Utf8WordCounter();
    private int expectedWords;

    /** Counts the words of one chunk into a new table. */
    WordCounts count(ChunkRef ref) throws IOException {
      WordCounts counts = new WordCounts(expectedWords);
      Chunker.countChunk(new Chunk(ref.file(), ref.offset(), ref.length()), counts, counter);
      expectedWords = counts.distinct();
      return counts;
    }
  }

  @Override
  public Optional<Combiner<? extends TroupeMessage>> keyedState() {
    return Optional.of(tallies(20));
  }

  @Override
  public Optional<CompletionStage<WordTally>> finish(JobContext<Options> job) {
    Options o = job.options();
    if (!o.shuffle) {
      return Optional.empty();
    }
    // Gather every reducer shard's table; the shards hold disjoint words, so merging them gives
    // exactly the counts of the whole input.
    KeyedState state = job.keyedState();
    List<CompletableFuture<WordTally>> shards = new ArrayList<>();
    for (int shard = 0; shard < o.reducers; shard++) {
      shards.add(state.read(shard, WordTally.class).toCompletableFuture());
    }
    return Optional.of(
        CompletableFuture.allOf(shards.toArray(CompletableFuture[]::new))
            .thenApply(
                done -> {
                  WordCounts all = new WordCounts();
                  shards.forEach(f -> all.merge(f.join().counts()));
                  return new WordTally(all);
                }));
  }

  @Override
  public Combiner<WordTally> combiner(Options o) {
    return tallies(o.top);
  }

  private static Combiner<WordTally> tallies(int top) {
    return Combiner.inPlace(
        () -> new WordTally(new WordCounts()),
        (all, part) -> all.counts().merge(part.counts()),
        WordTally::copy,
        all -> WordCountSequential.result(all.counts(), top));
  }

  @Override
  public Optional<WordCountSequential.Result> sequential(Options o) throws IOException {
    prepare(o);
    return Optional.of(WordCountSequential.result(WordCountSequential.count(files(o)), o.top));
  }
}
