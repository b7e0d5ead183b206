package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wordcount is exact where chunk boundaries fall inside words and inside multi-byte characters, on
 * invalid UTF-8, on empty files and on directories; checked against an independent oracle (Java's
 * regex over each whole decoded file) and against --sequential.
 */
final class WordCountEdgeCasesIT {

  @TempDir Path dir;

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  /** Counts words the slow, obvious way, for comparison. */
  private static Map<String, Long> oracle(Path root) throws Exception {
    Map<String, Long> counts = new HashMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f)))
                .toString();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
          counts.merge(m.group().toLowerCase(Locale.ROOT), 1L, Long::sum);
        }
      }
    }
    return counts;
  }

  @Test
  void run_withTinyChunksOverMultiByteWordsInvalidUtf8EmptyFilesAndDirectories_isExact()
      throws Exception {
    Path input = dir.resolve("input");
    Files.createDirectories(input.resolve("nested/deeper"));
    // Long words of multi-byte characters (2, 3 and 4 bytes), so a 7-byte nominal boundary lands
    // inside words and inside characters again and again.
    Files.writeString(
        input.resolve("a.txt"),
        "Ünïcödé wörds 東京都庁舎 Straße STRASSE ΑΘΗΝΑ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 x² ½ Ⅻ 😀emoji😀 ".repeat(40)
            + "final-WORD\n",
        StandardCharsets.UTF_8);
    ByteArrayOutputStream invalid = new ByteArrayOutputStream();
    for (int i = 0; i < 200; i++) {
      invalid.write("valid".getBytes(StandardCharsets.UTF_8));
      invalid.write(new byte[] {(byte) 0xC3}); // truncated 2-byte sequence inside a word
      invalid.write("tail ".getBytes(StandardCharsets.UTF_8));
      invalid.write(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xE6, (byte) 0x9D}); // garbage
      invalid.write("日本 word".getBytes(StandardCharsets.UTF_8));
      invalid.write('\n');
    }
    Files.write(input.resolve("nested/invalid.bin"), invalid.toByteArray());
    Files.createFile(input.resolve("nested/empty.txt"));
    Files.writeString(
        input.resolve("nested/deeper/z.txt"), "last words, LAST Words.", StandardCharsets.UTF_8);

    Map<String, Long> expected = oracle(input);
    JsonNode job = runJson("--input", input.toString(), "--chunk-size", "7", "--top", "1000");
    JsonNode sequential = runJson("--input", input.toString(), "--top", "1000", "--sequential");
    // The same counts kept in keyed reducer entities instead of the coordinator.
    JsonNode shuffled =
        runJson(
            "--input",
            input.toString(),
            "--chunk-size",
            "7",
            "--top",
            "1000",
            "--shuffle",
            "--reducers",
            "5");

    long total = expected.values().stream().mapToLong(Long::longValue).sum();
    assertThat(job.get("totalWords").asLong()).isEqualTo(total);
    assertThat(job.get("distinctWords").asLong()).isEqualTo(expected.size());
    Map<String, Long> counted = new HashMap<>();
    job.get("top").forEach(w -> counted.put(w.get("word").asText(), w.get("count").asLong()));
    assertThat(counted).isEqualTo(expected);
    assertThat(job.toString()).isEqualTo(sequential.toString());
    assertThat(shuffled.toString()).isEqualTo(sequential.toString());
  }

  @Test
  void run_withOnlyAnEmptyFile_countsNothing() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.txt"));

    JsonNode result = runJson("--input", empty.toString());

    assertThat(result.get("totalWords").asLong()).isZero();
    assertThat(result.get("distinctWords").asLong()).isZero();
    assertThat(result.get("top")).isEmpty();
  }

  private JsonNode runJson(String... args) throws Exception {
    String[] all = new String[args.length + 4];
    all[0] = "run";
    all[1] = "wordcount";
    System.arraycopy(args, 0, all, 2, args.length);
    all[all.length - 2] = "--format";
    all[all.length - 1] = "json";
    TroupeProcess.Result r = TroupeProcess.run(dir, all);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return r.json().get("result");
  }
}
