/**
 * Troupe's SDK: everything a pipeline author needs, and the only API a pipeline needs.
 *
 * <p>A {@link io.troupe.sdk.Pipeline} names a kind of job. It parses its options ({@link
 * io.troupe.sdk.PipelineOptions}, picocli fields), plans the initial {@link io.troupe.sdk.WorkItem
 * work items}, gives the worker that processes one item at a time (a Pekko typed {@code
 * Behavior<Task<I, P>>}; {@link io.troupe.sdk.Workers} makes the usual ones), and says with a
 * {@link io.troupe.sdk.Combiner} how the items' partial results add up to the result, which Troupe
 * renders as JSON. Payloads and partial results are records implementing {@link
 * io.troupe.sdk.TroupeMessage}, because they cross nodes and go into the job's ledger.
 *
 * <p>A worker that throws fails that item: it is retried ({@code troupe.jobs.max-attempts}, 3),
 * then quarantined and listed in the result as a {@link io.troupe.sdk.QuarantinedItem}; the job
 * goes on. Workers and the last step of a job see a {@link io.troupe.sdk.JobContext}: the job's id
 * and options, the node, its actor system, and the job's {@link io.troupe.sdk.KeyedState}.
 *
 * <p>Whoever submits a job is not trusted with the node's files and network: every path and host a
 * pipeline takes from its options goes through {@link io.troupe.sdk.Confinement} in {@code
 * validate}, which keeps them under the node's input and output roots and away from loopback,
 * private and link-local addresses ({@code troupe.pipelines}); workers that connect somewhere check
 * each connection with {@link io.troupe.sdk.JobContext#confinement()}.
 *
 * <p>Register a pipeline in {@code META-INF/services/io.troupe.sdk.Pipeline}. The artifact {@code
 * io.troupe:troupe-sdk} holds this package; {@code io.troupe:troupe-testkit} runs a job on an
 * embedded node in a unit test; {@code io.troupe:troupe-bom} keeps every version in line.
 */
package io.troupe.sdk;
