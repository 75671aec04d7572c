package dev.tutti.spring.websocket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletResponse;

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
	void acceptIsTheBase64OfTheSha1OfTheKeyAndTheGuid() throws Exception {
		Random random = new Random(42);
		MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
		for (int i = 0; i < 1000; i++) {
			byte[] nonce = new byte[16];
			random.nextBytes(nonce);
			String key = Base64.getEncoder().encodeToString(nonce);
			byte[] hash = sha1
				.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
			assertThat(EngineHandshake.accept(key)).isEqualTo(Base64.getEncoder().encodeToString(hash));
		}
	}

	@Test
	void connectionHeaderNeedsTheUpgradeToken() throws Exception {
		String key = "dGhlIHNhbXBsZSBub25jZQ==";
		assertThat(check(key, "Upgrade")).isTrue();
		assertThat(check(key, "keep-alive, Upgrade")).isTrue();
		assertThat(check(key, "keep-alive,upgrade\t")).isTrue();
		assertThat(check(key, " UPGRADE ,keep-alive")).isTrue();
		assertThat(check(key, "keep-alive", "Upgrade")).isTrue();
		assertThat(check(key, "keep-alive")).isFalse();
		assertThat(check(key, "upgrades, keep-alive")).isFalse();
		assertThat(check(key, "up grade")).isFalse();
		assertThat(check(key, "")).isFalse();
		assertThat(check(key, ",")).isFalse();
	}

	@Test
	void keyMustBeSixteenBytesInBase64() throws Exception {
		assertThat(check("dGhlIHNhbXBsZSBub25jZQ==", "Upgrade")).isTrue();
		assertThat(check("AAAAAAAAAAAAAAAAAAAA+/==", "Upgrade")).isTrue();
		assertThat(check("dGhlIHNhbXBsZSBub25jZR==", "Upgrade")).isTrue();
		assertThat(check("dGhlIHNhbXBsZSBub25jZ===", "Upgrade")).isFalse();
		assertThat(check("dGhlIHNhbXBsZSBub25jZQ=A", "Upgrade")).isFalse();
		assertThat(check("dGhlIHNhbXBsZSBub25j-Q==", "Upgrade")).isFalse();
		assertThat(check("dGhlIHNhbXBsZSBub25jZQ", "Upgrade")).isFalse();
		assertThat(check("dGhlIHNhbXBsZSBub25jZQ==A", "Upgrade")).isFalse();
		assertThat(check("dGhlIHNhbXBsZSBub25jZé==", "Upgrade")).isFalse();
		assertThat(check(null, "Upgrade")).isFalse();
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

	private static boolean check(String key, String... connection) throws Exception {
		HttpServletRequest request = mock(HttpServletRequest.class);
		given(request.getHeader("Sec-WebSocket-Version")).willReturn("13");
		given(request.getHeader("Sec-WebSocket-Key")).willReturn(key);
		given(request.getHeaders("Connection")).willReturn(Collections.enumeration(List.of(connection)));
		MockHttpServletResponse response = new MockHttpServletResponse();
		String checked = EngineHandshake.checkHandshake(request, response);
		boolean passed = checked != null;
		assertThat(response.getStatus()).isEqualTo(passed ? 200 : 400);
		if (passed) {
			assertThat(checked).isEqualTo(key);
		}
		return passed;
	}

}
