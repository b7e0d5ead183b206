/**
 * Word count's compute kernels and its single-threaded reference: a tokenizer ({@link
 * io.troupe.examples.wordcount.WordTokenizer}) counting into a {@link
 * io.troupe.examples.wordcount.WordCounts} table, a chunker that splits input files only between
 * words ({@link io.troupe.examples.wordcount.Chunker}), the sequential oracle ({@link
 * io.troupe.examples.wordcount.WordCountSequential}) and a deterministic corpus generator ({@link
 * io.troupe.examples.wordcount.CorpusGenerator}).
 *
 * <p>A word is a maximal run of Unicode letters or numbers ({@code [\p{L}\p{N}]+}) in UTF-8 text
 * decoded with replacement, lowercased with {@code Locale.ROOT}. Nothing here is thread-safe or
 * knows about actors: the pipeline runs one kernel call per actor message.
 */
package io.troupe.examples.wordcount;
