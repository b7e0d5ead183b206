package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README honest: every code block marked {@code <!-- snippet: file#name -->} must equal
 * the region between {@code // readme:begin name} and {@code // readme:end name} of that file,
 * which the test suite compiles and runs. Run with {@code -Dtroupe.updateReadme=true} to rewrite
 * the blocks from the sources.
 */
final class ReadmeSnippetsTest {

  private static final Path ROOT = Path.of(System.getProperty("troupe.root", "..")).normalize();
  private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");

  @Test
  void readme_codeBlocks_matchTheTestedSources() throws IOException {
    Path readme = ROOT.resolve("README.md");
    List<String> lines = new ArrayList<>(Files.readAllLines(readme, StandardCharsets.UTF_8));
    List<String> mismatches = new ArrayList<>();
    int snippets = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      snippets++;
      List<String> expected = region(ROOT.resolve(m.group(1)), m.group(2));
      int open = i + 1;
      assertThat(lines.get(open))
          .as("a ```java block follows %s", lines.get(i))
          .isEqualTo("```java");
      int close = open + 1;
      while (!lines.get(close).equals("```")) {
        close++;
      }
      List<String> actual = new ArrayList<>(lines.subList(open + 1, close));
      if (!actual.equals(expected)) {
        mismatches.add(m.group(1) + "#" + m.group(2));
        lines.subList(open + 1, close).clear();
        lines.addAll(open + 1, expected);
      }
    }
    if (!mismatches.isEmpty() && Boolean.getBoolean("troupe.updateReadme")) {
      Files.write(readme, lines, StandardCharsets.UTF_8);
      mismatches.clear();
    }
    assertThat(snippets).isGreaterThanOrEqualTo(3);
    assertThat(mismatches)
        .as("README snippets out of date; rerun with -Dtroupe.updateReadme=true")
        .isEmpty();
  }

  /** Returns the marked region of a source file, without its common indentation. */
  private static List<String> region(Path file, String name) throws IOException {
    List<String> source = Files.readAllLines(file, StandardCharsets.UTF_8);
    int begin = -1;
    int end = -1;
    for (int i = 0; i < source.size(); i++) {
      String trimmed = source.get(i).strip();
      if (trimmed.equals("// readme:begin " + name)) {
        begin = i;
      } else if (trimmed.equals("// readme:end " + name)) {
        end = i;
      }
    }
    assertThat(begin).as("%s has // readme:begin %s", file, name).isNotNegative();
    assertThat(end).as("%s has // readme:end %s", file, name).isGreaterThan(begin);
    List<String> region = source.subList(begin + 1, end);
    int indent = Integer.MAX_VALUE;
    for (String line : region) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String line : region) {
      out.add(line.isBlank() ? "" : line.substring(indent));
    }
    return out;
  }
}
