package io.troupe.persistence;

import io.troupe.actors.TroupeMessage;

/**
 * An item given up on after its last attempt failed, as listed in a job's result.
 *
 * @param item the item's id
 * @param reason the last failure: exception class and message
 */
public record QuarantinedItem(String item, String reason) implements TroupeMessage {}
