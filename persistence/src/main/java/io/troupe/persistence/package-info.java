/**
 * The job ledger's public face: {@link io.troupe.persistence.JobSpec}, what a job runs, and {@link
 * io.troupe.persistence.PersistenceStartupException}, why a node could not use its database. The
 * event-sourced ledger, the journals and the schema migrations are in {@code
 * io.troupe.persistence.internal}.
 */
package io.troupe.persistence;
