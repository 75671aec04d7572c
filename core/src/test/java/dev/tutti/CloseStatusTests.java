package dev.tutti;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CloseStatus}.
 */
class CloseStatusTests {

	@Test
	void codeMustBeInRange() {
		assertThat(new CloseStatus(1000, "").code()).isEqualTo(1000);
		assertThat(new CloseStatus(4999, "x").code()).isEqualTo(4999);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new CloseStatus(999, ""))
			.withMessageContaining("999");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new CloseStatus(5000, ""));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new CloseStatus(-1, ""));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new CloseStatus(1000, null));
	}

	@Test
	void hasConstantsForTheHubsOwnCloses() {
		assertThat(CloseStatus.NORMAL.isNormal()).isTrue();
		assertThat(CloseStatus.GOING_AWAY.isNormal()).isTrue();
		assertThat(CloseStatus.PONG_TIMEOUT.isNormal()).isTrue();
		assertThat(CloseStatus.TOO_BIG.isNormal()).isFalse();
		assertThat(CloseStatus.BUFFER_FULL).isEqualTo(new CloseStatus(1008, "Outbound buffer full"));
		assertThat(CloseStatus.NORMAL.withReason("done")).isEqualTo(new CloseStatus(1000, "done"));
		assertThat(CloseStatus.NORMAL).hasToString("1000");
		assertThat(CloseStatus.WRITE_TIMEOUT).hasToString("1001 (Write timeout)");
	}

}
