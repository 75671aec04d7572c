package dev.tutti.spring.json;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JacksonJsonCodec}.
 */
class JacksonJsonCodecTests {

	private final JacksonJsonCodec codec = new JacksonJsonCodec(JsonMapper.builder().build());

	@Test
	void roundTripsARecord() {
		Chat chat = new Chat("chat", "hello", List.of("a", "b"));
		String json = this.codec.encode(chat);
		assertThat(json).isEqualTo("{\"type\":\"chat\",\"text\":\"hello\",\"tags\":[\"a\",\"b\"]}");
		assertThat(this.codec.decode(json, Chat.class)).isEqualTo(chat);
	}

	@Test
	void readsTheDiscriminator() {
		assertThat(this.codec.readDiscriminator("{\"type\":\"chat\",\"text\":\"x\"}", "type")).isEqualTo("chat");
		assertThat(this.codec.readDiscriminator("{\"kind\":\"join\"}", "kind")).isEqualTo("join");
	}

	@Test
	void missingOrNonStringDiscriminatorIsNull() {
		assertThat(this.codec.readDiscriminator("{\"text\":\"x\"}", "type")).isNull();
		assertThat(this.codec.readDiscriminator("{\"type\":3}", "type")).isNull();
		assertThat(this.codec.readDiscriminator("[\"type\"]", "type")).isNull();
		assertThat(this.codec.readDiscriminator("\"type\"", "type")).isNull();
	}

	@Test
	void malformedJsonThrowsJacksonException() {
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> this.codec.readDiscriminator("{\"type\":", "type"));
		assertThatExceptionOfType(JacksonException.class).isThrownBy(() -> this.codec.decode("{nope", Chat.class));
	}

	@Test
	void usesTheGivenMapperSettings() {
		JsonMapper strict = JsonMapper.builder()
			.enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build();
		JacksonJsonCodec strictCodec = new JacksonJsonCodec(strict);
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> strictCodec.decode("{\"type\":\"chat\",\"extra\":1}", Chat.class));
	}

	record Chat(String type, String text, List<String> tags) {
	}

}
