package dev.tutti.spring.websocket;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Clears Tomcat's frame buffer size system property before each test and restores its
 * earlier value after it, so that tests can set it without leaking into other tests.
 */
public final class FrameBufferSizeProperty implements BeforeEachCallback, AfterEachCallback {

	/** The system property Tomcat reads its frame buffer size from. */
	public static final String NAME = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	private @Nullable String previous;

	@Override
	public void beforeEach(ExtensionContext context) {
		this.previous = System.clearProperty(NAME);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (this.previous != null) {
			System.setProperty(NAME, this.previous);
		}
		else {
			System.clearProperty(NAME);
		}
	}

}
