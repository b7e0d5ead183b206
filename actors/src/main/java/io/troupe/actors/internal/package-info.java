/**
 * Internal API: implementation of the local runtime. Nothing here is stable; use the types in
 * {@link io.troupe.actors} instead.
 */
package io.troupe.actors.internal;
