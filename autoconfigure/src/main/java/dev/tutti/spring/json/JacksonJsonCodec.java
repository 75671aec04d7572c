package dev.tutti.spring.json;

import java.util.Objects;

import dev.tutti.Codec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link Codec} backed by a Jackson 3 {@link JsonMapper}. The auto-configuration
 * creates one from the application's {@code JsonMapper} bean, so messages follow the same
 * Jackson settings as the rest of the application. Thread-safe.
 */
public class JacksonJsonCodec implements Codec {

	private final JsonMapper mapper;

	/**
	 * Create a codec.
	 * @param mapper the mapper to encode and decode with
	 */
	public JacksonJsonCodec(JsonMapper mapper) {
		this.mapper = Objects.requireNonNull(mapper, "mapper");
	}

	@Override
	public String encode(Object value) {
		return this.mapper.writeValueAsString(value);
	}

	@Override
	public <T> T decode(String text, Class<T> type) {
		return this.mapper.readValue(text, type);
	}

	@Override
	public @Nullable String readDiscriminator(String text, String property) {
		JsonNode node = this.mapper.readTree(text);
		JsonNode value = (node != null && node.isObject()) ? node.get(property) : null;
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

}
