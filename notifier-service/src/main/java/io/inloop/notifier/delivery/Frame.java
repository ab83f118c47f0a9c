package io.inloop.notifier.delivery;

/**
 * One message to a client, the same on every transport: a {@link JobFrame} or a
 * {@link ControlFrame}, each a UTF-8 JSON object (docs/protocol.md) written once and shared.
 */
public sealed interface Frame permits JobFrame, ControlFrame {

	/** The frame's {@code type} member. */
	String type();

	/** The frame as UTF-8 JSON; shared, so never modified. */
	byte[] payload();

}
