package dev.tutti.spring.websocket;

import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link EngineHandshake}.
 */
@ExtendWith(OutputCaptureExtension.class)
class EngineHandshakeTests {

	@Test
	void acceptsTheKeyAsRfc6455Says() {
		assertThat(EngineHandshake.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
	}

	@Test
	void isAvailableOnTomcat() {
		ServletContext context = mock();
		given(context.getServerInfo()).willReturn("Apache Tomcat/11.0.22");
		assertThat(EngineHandshake.isAvailable(context, "/ws")).isTrue();
	}

	@Test
	void isNotAvailableOnAnotherContainerAndSaysWhy(CapturedOutput output) {
		ServletContext context = mock();
		given(context.getServerInfo()).willReturn("jetty/12.1.0");
		assertThat(EngineHandshake.isAvailable(context, "/ws")).isFalse();
		assertThat(output).contains("'/ws' is served by the container's Jakarta WebSocket implementation")
			.contains("jetty/12.1.0");
	}

}
