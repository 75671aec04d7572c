package dev.tutti.test;

import dev.tutti.Codec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Jackson {@link Codec}, as an application that uses Tutti would provide.
 */
final class JsonCodec implements Codec {

	private final JsonMapper mapper = JsonMapper.builder().build();

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
		JsonNode value = this.mapper.readTree(text).get(property);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

}
