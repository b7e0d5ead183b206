/** Internal API: implementation of the job runtime. Nothing here is stable. */
package io.troupe.cluster.internal;
