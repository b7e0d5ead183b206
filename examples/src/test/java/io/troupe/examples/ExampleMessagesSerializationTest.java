package io.troupe.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.troupe.actors.TroupeSystem;
import io.troupe.examples.crawl.CrawlPipeline;
import io.troupe.examples.crawl.Crawled;
import io.troupe.examples.mandelbrot.MandelbrotPipeline;
import io.troupe.examples.montecarlo.MonteCarlo;
import io.troupe.examples.montecarlo.MonteCarloPipeline;
import io.troupe.examples.primes.PrimesPipeline;
import io.troupe.examples.wordcount.WordCountPipeline;
import io.troupe.examples.wordcount.WordCounts;
import io.troupe.examples.wordcount.WordTally;
import io.troupe.persistence.internal.LedgerEvent;
import io.troupe.sdk.WorkItem;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every example payload and partial survives Jackson CBOR, alone and inside ledger events. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ExampleMessagesSerializationTest {

  private final ActorTestKit testKit =
      ActorTestKit.create("serialization", TroupeSystem.config(ConfigFactory.empty()));
  private final SerializationTestKit serialization = new SerializationTestKit(testKit.system());

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  private static WordTally tally() {
    WordCounts counts = new WordCounts();
    counts.add("troupe", 3);
    counts.add("straße", 2);
    counts.add("東京", 1);
    counts.add("averyveryverylongwordindeed", 7);
    return new WordTally(counts);
  }

  @Test
  void payloadsAndPartials_roundTripThroughJacksonCbor() {
    List<Object> messages =
        List.of(
            new WordCountPipeline.ChunkRef("/data/a.txt", 4_194_304, 4_194_311),
            tally(),
            new PrimesPipeline.Range(0, 4_194_303),
            new PrimesPipeline.PrimeCount(295_947, 4_194_301),
            new MonteCarloPipeline.BatchRef(7, 1_000_000),
            new MonteCarloPipeline.Batches(
                List.of(new MonteCarlo.Batch(7, 1_000_000, 10_450_583.5, 2.5e8))));

    for (Object message : messages) {
      serialization.verifySerialization(message, true);
    }
  }

  @Test
  void mandelbrotItemsAndTiles_roundTripWithTheirPixels() {
    MandelbrotPipeline.TileRef tile = new MandelbrotPipeline.TileRef(128, 0, 128, 64);
    serialization.verifySerialization(tile, true);
    MandelbrotPipeline.Counted counted =
        new MandelbrotPipeline.Counted(tile, 127, 0, 130, 65, new byte[] {0, 1, (byte) 0xff, 7});
    MandelbrotPipeline.Tiles tiles =
        new MandelbrotPipeline.Tiles(
            List.of(new MandelbrotPipeline.Coloured(tile, new byte[] {1, 2, 3, (byte) 200})));

    MandelbrotPipeline.Counted countedCopy = serialization.verifySerialization(counted, false);
    MandelbrotPipeline.Tiles tilesCopy = serialization.verifySerialization(tiles, false);

    // Records with arrays compare by identity, so the pixels are compared here.
    assertThat(countedCopy.tile()).isEqualTo(tile);
    assertThat(countedCopy.aw()).isEqualTo(130);
    assertThat(countedCopy.counts()).containsExactly(counted.counts());
    assertThat(tilesCopy.tiles()).hasSize(1);
    assertThat(tilesCopy.tiles().get(0).tile()).isEqualTo(tile);
    assertThat(tilesCopy.tiles().get(0).rgb()).containsExactly(1, 2, 3, (byte) 200);
  }

  @Test
  void wordTally_asAPolymorphicLedgerField_keepsEveryCount() {
    LedgerEvent.ItemsCompleted event = new LedgerEvent.ItemsCompleted(new int[] {3, 4}, tally());
    WorkItem<?> item =
        new WorkItem<>("chunk-3", "count", new WordCountPipeline.ChunkRef("/data/a.txt", 0, 10));

    LedgerEvent.ItemsCompleted back = serialization.verifySerialization(event, false);
    serialization.verifySerialization(item, true);

    assertThat(((WordTally) back.partial()).counts().toMap())
        .isEqualTo(tally().counts().toMap())
        .containsEntry("straße", 2L)
        .containsEntry("東京", 1L);
  }

  @Test
  void crawlItemsAndTheGrowingAccumulator_roundTripAndStayGrowable() {
    serialization.verifySerialization(new CrawlPipeline.Fetch("http://h.test/a?b=1"), true);
    Crawled accumulator = Crawled.empty();
    Crawled.merge(accumulator, Crawled.page("http://h.test/", List.of("http://h.test/a")));
    Crawled.merge(accumulator, Crawled.broken("http://h.test/gone", "HTTP 404"));
    Crawled.merge(accumulator, Crawled.other("http://h.test/data.txt"));

    Crawled back =
        (Crawled)
            serialization
                .verifySerialization(
                    new LedgerEvent.ItemsCompleted(new int[] {0, 1}, accumulator), false)
                .partial();

    assertThat(back).isEqualTo(accumulator);
    // A snapshot read back must keep growing in place like a fresh accumulator.
    Crawled grown = Crawled.merge(back, Crawled.other("http://h.test/b.txt"));
    assertThat(grown).isSameAs(back);
    assertThat(grown.fetched()).isEqualTo(4);
  }
}
