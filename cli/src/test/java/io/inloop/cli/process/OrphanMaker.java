package io.inloop.cli.process;

import java.util.concurrent.CountDownLatch;

/** Starts an {@link EchoService} child and waits; killing this process must not leave the child behind. */
public final class OrphanMaker {

	private OrphanMaker() {
	}

	public static void main(String[] args) throws InterruptedException {
		ServiceProcess child = ServiceProcess.builder("echo")
			.mainClass(System.getProperty("java.class.path"), EchoService.class.getName())
			.arguments(args[0])
			.start();
		System.out.println("child-pid=" + child.pid());
		new CountDownLatch(1).await();
	}

}
