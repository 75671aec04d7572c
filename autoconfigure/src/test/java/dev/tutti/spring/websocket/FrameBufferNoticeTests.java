package dev.tutti.spring.websocket;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;

import jakarta.websocket.RemoteEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for the notice that outbound text messages on the standard path are larger than
 * Tomcat's frame buffer.
 */
@ExtendWith(OutputCaptureExtension.class)
class FrameBufferNoticeTests {

	private static final String PROPERTY = FrameBufferSizeProperty.NAME;

	private static final String NOTICE = "raise tutti.tomcat.frame-buffer-size";

	@RegisterExtension
	final FrameBufferSizeProperty frameBufferSize = new FrameBufferSizeProperty();

	@Test
	void aMessageLargerThanTheFrameBufferIsNotedOncePerHandler(CapturedOutput output) {
		System.setProperty(PROPERTY, "1024");
		FrameBufferNotice notice = new FrameBufferNotice();
		JakartaConnection connection = connection(notice);
		connection.sendText("x".repeat(1024), (failure) -> {
		});
		assertThat(output).doesNotContain(NOTICE);
		connection.sendText("x".repeat(1025), (failure) -> {
		});
		connection(notice).sendText("x".repeat(4096), (failure) -> {
		});
		assertThat(output).containsOnlyOnce(NOTICE)
			.contains("Sending a message of 1025 characters, more than Tomcat's WebSocket frame buffer of 1024 bytes");
		connection(new FrameBufferNotice()).sendText("x".repeat(4096), (failure) -> {
		});
		assertThat(output.toString().split(NOTICE, -1)).hasSize(3);
		assertThat(output).contains("Sending a message of 4096 characters");
	}

	@Test
	void binaryMessagesLeaveAsOneFrameAndAreNotNoted(CapturedOutput output) {
		System.setProperty(PROPERTY, "1024");
		connection(new FrameBufferNotice()).sendBinary(ByteBuffer.allocate(4096), (failure) -> {
		});
		assertThat(output).doesNotContain(NOTICE);
	}

	@Test
	void nothingIsNotedWhenTheFrameBufferSizeIsNotSet(CapturedOutput output) {
		JakartaConnection connection = connection(new FrameBufferNotice());
		connection.sendText("x".repeat(100_000), (failure) -> {
		});
		assertThat(output).doesNotContain(NOTICE);
	}

	private static JakartaConnection connection(FrameBufferNotice notice) {
		WebSocketSession session = mock();
		given(session.getHandshakeHeaders()).willReturn(new HttpHeaders());
		jakarta.websocket.Session nativeSession = mock();
		given(nativeSession.getBasicRemote()).willReturn(mock(RemoteEndpoint.Basic.class));
		given(nativeSession.getUserProperties()).willReturn(new HashMap<>());
		return new JakartaConnection(session, nativeSession, Duration.ofSeconds(10), null, notice);
	}

}
