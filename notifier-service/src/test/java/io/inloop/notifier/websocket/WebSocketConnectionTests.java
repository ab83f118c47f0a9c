package io.inloop.notifier.websocket;

import java.nio.charset.StandardCharsets;

import io.inloop.notifier.delivery.Cursor;
import io.inloop.notifier.delivery.JobFrame;
import io.inloop.schemas.JobState;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;

import org.springframework.core.io.buffer.DefaultDataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

class WebSocketConnectionTests {

	private final JobFrame frame = new JobFrame("alice", "job-1", JobState.RUNNING, new Cursor(0, 7),
			"{\"type\":\"job\"}".getBytes(StandardCharsets.UTF_8));

	@Test
	void sessionsSendTheSharedFrameBytesWithoutCopyingThem() {
		WebSocketConnection first = new WebSocketConnection("alice", session(), 4);
		WebSocketConnection second = new WebSocketConnection("alice", session(), 4);

		first.send(this.frame);
		second.send(this.frame);

		for (WebSocketConnection connection : new WebSocketConnection[] { first, second }) {
			WebSocketMessage message = connection.messages().blockFirst();
			assertThat(message).isNotNull();
			assertThat(message.getType()).isEqualTo(WebSocketMessage.Type.TEXT);
			assertThat(((DefaultDataBuffer) message.getPayload()).getNativeBuffer().array())
				.as("the frame's own bytes").isSameAs(this.frame.payload());
		}
	}

	@Test
	void connectionWhoseQueueOverflowsIsClosedAsTooSlow() {
		WebSocketSession session = session();
		WebSocketConnection connection = new WebSocketConnection("alice", session, 2);
		connection.messages().subscribe(new NotReading());

		connection.send(this.frame);
		connection.send(this.frame);
		then(session).should(never()).close(any());

		connection.send(this.frame);
		connection.send(this.frame);
		then(session).should().close(new CloseStatus(4008, "too slow"));
	}

	@Test
	void shutDownClosesAsGoingAway() {
		WebSocketSession session = session();
		new WebSocketConnection("alice", session, 2).shutDown();
		then(session).should().close(CloseStatus.GOING_AWAY);
	}

	private static WebSocketSession session() {
		WebSocketSession session = mock();
		given(session.bufferFactory()).willReturn(DefaultDataBufferFactory.sharedInstance);
		given(session.close(any())).willReturn(Mono.empty());
		return session;
	}

	/** A subscriber that never asks for anything, like a client that has stopped reading. */
	private static final class NotReading extends BaseSubscriber<WebSocketMessage> {

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
		}

	}

}
