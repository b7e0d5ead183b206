/** Internal API: implementation of the job ledger. Nothing here is stable. */
package io.troupe.persistence.internal;
