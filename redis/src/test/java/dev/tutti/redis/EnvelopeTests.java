package dev.tutti.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import dev.tutti.Target;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Envelope}.
 */
class EnvelopeTests {

	private static final byte[] TEXT = "héllo".getBytes(StandardCharsets.UTF_8);

	@Test
	void everyTargetSurvivesTheWire() {
		List<Target> targets = List.of(Target.all(), Target.room("lobby"), Target.sessions("a", "b"),
				Target.attributeEquals("user", "ann"), Target.attributeEquals("id", 42),
				Target.attributeEquals("id", 42L), Target.attributeEquals("score", 1.5),
				Target.attributeEquals("admin", true), Target.room("lobby").except("s1"), Target.allExcept("s2"),
				Target.attributeEquals("user", "ann").except("s3"));
		for (Target target : targets) {
			Envelope envelope = new Envelope("node-1", 7, target, false, TEXT);
			Envelope decoded = Envelope.decode(envelope.encode(Integer.MAX_VALUE));
			assertThat(decoded.target()).isEqualTo(target);
			assertThat(decoded.origin()).isEqualTo("node-1");
			assertThat(decoded.id()).isEqualTo(7);
			assertThat(decoded.binary()).isFalse();
			assertThat(decoded.payload()).isEqualTo(TEXT);
		}
	}

	@Test
	void binaryPayloadSurvivesTheWire() {
		byte[] data = new byte[100_000];
		Arrays.fill(data, (byte) 3);
		Envelope decoded = Envelope.decode(new Envelope("n", 1, Target.all(), true, data).encode(Integer.MAX_VALUE));
		assertThat(decoded.binary()).isTrue();
		assertThat(decoded.payload()).isEqualTo(data);
	}

	@Test
	void layoutStartsWithVersionKindAndOrigin() {
		byte[] bytes = new Envelope("ab", 1, Target.all(), true, new byte[] { 9 }).encode(100);
		assertThat(bytes).containsExactly(1, 1, 0, 0, 0, 2, 'a', 'b', 0, 0, 0, 0, 0, 0, 0, 1, 0, 9);
		assertThat(Envelope.origin(bytes)).isEqualTo("ab");
	}

	@Test
	void envelopeOverTheMaximumIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Envelope("n", 1, Target.all(), false, new byte[100]).encode(64))
			.withMessageContaining("exceeds the maximum envelope size of 64 bytes");
	}

	@Test
	void attributeValueOfAnotherTypeIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Envelope("n", 1, Target.attributeEquals("user", List.of()), false, TEXT).encode(100))
			.withMessageContaining("Value of attribute 'user'");
	}

	@Test
	void envelopeOfAnotherVersionIsRefusedLoudly() {
		byte[] bytes = new Envelope("n", 1, Target.all(), false, TEXT).encode(100);
		bytes[0] = 2;
		assertThatIllegalArgumentException().isThrownBy(() -> Envelope.decode(bytes))
			.withMessageContaining("version 2")
			.withMessageContaining("reads version 1");
		assertThat(Envelope.origin(bytes)).isEmpty();
	}

	@Test
	void truncatedOrCorruptEnvelopeIsRefused() {
		byte[] bytes = new Envelope("node", 1, Target.sessions("a"), false, TEXT).encode(100);
		assertThatIllegalArgumentException().isThrownBy(() -> Envelope.decode(Arrays.copyOf(bytes, 12)));
		assertThatIllegalArgumentException().isThrownBy(() -> Envelope.decode(new byte[0]));
		byte[] unknownTarget = bytes.clone();
		unknownTarget[18] = 99;
		assertThatIllegalArgumentException().isThrownBy(() -> Envelope.decode(unknownTarget));
	}

}
