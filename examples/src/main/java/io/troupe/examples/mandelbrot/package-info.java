/** The mandelbrot pipeline: an image rendered in tiles through two stages, written as a PNG. */
package io.troupe.examples.mandelbrot;
