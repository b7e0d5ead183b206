/**
 * The crawl pipeline: a web crawler whose fetches are non-blocking HTTP requests and whose
 * discovered links become new items of the same job; and {@code troupe gen site}, a static site
 * with a known link graph to crawl.
 */
package io.troupe.examples.crawl;
