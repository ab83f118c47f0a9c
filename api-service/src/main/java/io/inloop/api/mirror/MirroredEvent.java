package io.inloop.api.mirror;

/**
 * A status event as the mirror writes it: its JSON frame, and the partition of the status record
 * it mirrors, which is the partition it goes to.
 */
record MirroredEvent(int partition, byte[] frame) {

}
