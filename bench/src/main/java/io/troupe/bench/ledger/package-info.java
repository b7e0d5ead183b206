/** The ledger benchmark: a durable ledger's cost on a job of small items, and recovery time. */
package io.troupe.bench.ledger;
