package io.troupe.examples.wordcount;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 bytes, replacing malformed input with U+FFFD, and counts the words of the text.
 *
 * <p>Implementation notes: bytes may arrive in pieces; a multi-byte sequence cut at the end of a
 * piece stays in the caller's buffer until the next one (the decoder leaves it unconsumed). The
 * decoder writes straight into the {@link WordScanner}'s buffer, which is scanned whenever it
 * fills, so text never exists twice in memory. One instance per thread.
 */
final class Utf8WordCounter {

  /** Chars decoded per scan; with the bytes read it stays well inside a core's L2 cache. */
  static final int BLOCK_CHARS = 1 << 15;

  private final CharsetDecoder decoder = newDecoder();
  private final WordScanner scanner;

  Utf8WordCounter(WordCounts into, int expectedChars) {
    this.scanner = new WordScanner(into, Math.min(BLOCK_CHARS, expectedChars + 1));
  }

  /** A UTF-8 decoder that replaces malformed and unmappable input with U+FFFD. */
  static CharsetDecoder newDecoder() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
  }

  /**
   * Decodes and counts the remaining bytes of {@code in}; unless {@code endOfInput}, an incomplete
   * trailing sequence stays in {@code in} and the last word waits for more text. After the end of
   * input the counter is reset and may take another text.
   */
  void feed(ByteBuffer in, boolean endOfInput) {
    while (true) {
      int at = scanner.limit();
      CharBuffer out = CharBuffer.wrap(scanner.buffer(), at, scanner.free());
      CoderResult result = decoder.decode(in, out, endOfInput);
      scanner.appended(out.position() - at);
      if (result.isUnderflow()) {
        break;
      }
      if (!result.isOverflow()) {
        throw failure(result);
      }
      scanner.scan(false);
    }
    if (endOfInput) {
      while (true) {
        int at = scanner.limit();
        CharBuffer out = CharBuffer.wrap(scanner.buffer(), at, scanner.free());
        CoderResult result = decoder.flush(out);
        scanner.appended(out.position() - at);
        if (!result.isOverflow()) {
          break;
        }
        scanner.scan(false);
      }
      scanner.scan(true);
      decoder.reset();
    }
  }

  private static IllegalStateException failure(CoderResult result) {
    try {
      result.throwException();
    } catch (CharacterCodingException e) {
      return new IllegalStateException("decoder reported an error despite REPLACE", e);
    }
    return new IllegalStateException("unexpected decoder result " + result);
  }
}
