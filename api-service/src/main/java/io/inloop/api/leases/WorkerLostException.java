package io.inloop.api.leases;

/** Why a command is dead-lettered by the ledger: its job's workers kept going silent. */
class WorkerLostException extends RuntimeException {

	WorkerLostException(String message) {
		super(message);
	}

}
