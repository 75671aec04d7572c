package dev.tutti;

import org.jspecify.annotations.Nullable;

/**
 * Encodes values to text messages and decodes text messages to values, for
 * {@link Session#writeJson(Object)}, {@link Hub#broadcastJson(Target, Object)} and typed
 * message handlers. The Spring Boot integration provides one backed by the application's
 * Jackson {@code JsonMapper}.
 * <p>
 * Implementations must be thread-safe.
 */
public interface Codec {

	/**
	 * Encode a value.
	 * @param value the value
	 * @return the text message
	 * @throws RuntimeException if the value cannot be encoded
	 */
	String encode(Object value);

	/**
	 * Decode a text message to a value of the given type.
	 * @param <T> the type
	 * @param text the message
	 * @param type the type
	 * @return the value
	 * @throws RuntimeException if the text is malformed or does not fit the type
	 */
	<T> T decode(String text, Class<T> type);

	/**
	 * Read a top-level string property of a text message, to select a typed handler.
	 * @param text the message
	 * @param property the property name, such as {@code type}
	 * @return the property's value, or {@code null} if the message has no such string
	 * property
	 * @throws RuntimeException if the text is malformed
	 */
	@Nullable String readDiscriminator(String text, String property);

}
