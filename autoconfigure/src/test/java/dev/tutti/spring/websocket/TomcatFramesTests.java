package dev.tutti.spring.websocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TomcatFrames}.
 */
class TomcatFramesTests {

	@Test
	void isAvailableOnTomcat() {
		assertThat(TomcatFrames.get()).isNotNull();
	}

}
