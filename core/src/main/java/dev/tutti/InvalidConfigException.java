package dev.tutti;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link HubConfig.Builder#build()} when a setting has an invalid value. Names
 * the setting and the value so that integrations can point at their own property.
 */
public class InvalidConfigException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String setting;

	private final transient @Nullable Object value;

	private final String reason;

	InvalidConfigException(String setting, @Nullable Object value, String reason) {
		super("Invalid value '%s' for %s: %s".formatted(value, setting, reason));
		this.setting = setting;
		this.value = value;
		this.reason = reason;
	}

	/**
	 * Return the name of the invalid setting, as named by the {@link HubConfig.Builder}
	 * method that sets it (for example {@code pingPeriod}).
	 * @return the setting name
	 */
	public String getSetting() {
		return this.setting;
	}

	/**
	 * Return the rejected value.
	 * @return the value
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

	/**
	 * Return why the value was rejected, without the setting name and value.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
