package io.troupe.sdk;

/**
 * An item given up on after its last attempt failed, as a job's result lists it.
 *
 * @param item the item's id
 * @param reason the last failure: exception class and message
 */
public record QuarantinedItem(String item, String reason) implements TroupeMessage {}
