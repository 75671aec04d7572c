package dev.tutti;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.InstanceOfAssertFactories.THROWABLE;

/**
 * Tests for codec-backed writes, broadcasts and typed inbound dispatch, with a small
 * {@code type:body} codec standing in for JSON.
 */
class TypedMessageTests {

	private final Hub hub = Hub.create();

	private final List<Throwable> errors = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeHub() {
		this.hub.close();
	}

	@Test
	void writeJsonEncodesWithTheCodec() {
		this.hub.codec(new LineCodec());
		TestConnection connection = open();
		connection.session().writeJson(new Chat("hi"));
		assertThat(connection.texts()).containsExactly("chat:hi");
	}

	@Test
	void broadcastJsonEncodesOnce() {
		LineCodec codec = new LineCodec();
		this.hub.codec(codec);
		List<TestConnection> connections = List.of(open(), open(), open());
		this.hub.broadcastJson(Target.all(), new Chat("all"));
		assertThat(codec.encodings).isEqualTo(1);
		assertThat(connections).allSatisfy((c) -> assertThat(c.texts()).containsExactly("chat:all"));
	}

	@Test
	void writeJsonWithoutCodecFailsNamingTheHub() {
		TestConnection connection = open();
		assertThatIllegalStateException().isThrownBy(() -> connection.session().writeJson(new Chat("x")))
			.withMessageContaining("'tutti'");
	}

	@Test
	void messagesAreDispatchedByTheirType() {
		this.hub.codec(new LineCodec());
		List<Object> received = new CopyOnWriteArrayList<>();
		this.hub.onMessage("chat", Chat.class, (session, chat) -> received.add(chat));
		this.hub.onMessage("join", Join.class, (session, join) -> received.add(join));
		TestConnection connection = open();

		connection.listener().onText("chat:hello", true);
		connection.listener().onText("join:lobby", true);

		assertThat(received).containsExactly(new Chat("hello"), new Join("lobby"));
		assertThat(this.errors).isEmpty();
	}

	@Test
	void singleTypeHandlerDecodesEveryMessage() {
		this.hub.codec(new LineCodec());
		List<Chat> received = new CopyOnWriteArrayList<>();
		this.hub.onMessage(Chat.class, (session, chat) -> received.add(chat));
		TestConnection connection = open();

		connection.listener().onText("chat:one", true);

		assertThat(received).containsExactly(new Chat("one"));
	}

	@Test
	void unknownTypeReachesOnErrorAndKeepsTheSessionOpen() {
		this.hub.codec(new LineCodec());
		this.hub.onMessage("chat", Chat.class, (session, chat) -> {
		});
		TestConnection connection = open();

		connection.listener().onText("dance:now", true);

		assertThat(this.errors).singleElement(THROWABLE)
			.isInstanceOf(MessageDecodingException.class)
			.hasMessageContaining(connection.session().id())
			.hasMessageContaining("unknown message type 'dance'");
		assertThat(connection.session().isClosed()).isFalse();
		assertThat(connection.texts()).isEmpty();
	}

	@Test
	void malformedMessageReachesOnErrorWithTheParseFailure() {
		this.hub.codec(new LineCodec());
		this.hub.onMessage("chat", Chat.class, (session, chat) -> {
		});
		TestConnection connection = open();

		connection.listener().onText("no separator", true);

		assertThat(this.errors).singleElement(THROWABLE)
			.isInstanceOf(MessageDecodingException.class)
			.hasMessageContaining("malformed message")
			.hasRootCauseMessage("missing ':'");
		assertThat(connection.session().isClosed()).isFalse();
	}

	@Test
	void messageWithoutTypeReachesOnError() {
		this.hub.codec(new LineCodec());
		this.hub.onMessage("chat", Chat.class, (session, chat) -> {
		});
		TestConnection connection = open();

		connection.listener().onText(":untyped", true);

		assertThat(this.errors).singleElement(THROWABLE).hasMessageContaining("no string property 'type'");
	}

	@Test
	void contentThatDoesNotFitTheTypeReachesOnError() {
		this.hub.codec(new LineCodec());
		this.hub.onMessage("join", Join.class, (session, join) -> {
		});
		TestConnection connection = open();

		connection.listener().onText("join:", true);

		assertThat(this.errors).singleElement(THROWABLE).hasMessageContaining("not a valid Join");
	}

	@Test
	void clientGetsAnErrorReplyWhenConfigured() {
		Hub replying = Hub.create(HubConfig.builder().decodingErrorReply(true).build());
		try {
			replying.codec(new LineCodec());
			replying.onError((session, error) -> this.errors.add(error));
			replying.onMessage("chat", Chat.class, (session, chat) -> {
			});
			TestConnection connection = new TestConnection();
			connection.open(replying);

			connection.listener().onText("dance:now", true);

			assertThat(connection.texts()).containsExactly("error:Cannot decode message: unknown message type 'dance'");
			assertThat(this.errors).hasSize(1);
		}
		finally {
			replying.close();
		}
	}

	@Test
	void rawTextHandlersAndTypedHandlersAllRunInOrder() {
		this.hub.codec(new LineCodec());
		List<String> calls = new CopyOnWriteArrayList<>();
		this.hub.onMessage((session, text) -> calls.add("raw 1: " + text));
		this.hub.onMessage("chat", Chat.class, (session, chat) -> calls.add("typed: " + chat.text()));
		this.hub.onMessage((session, text) -> calls.add("raw 2: " + text));
		TestConnection connection = open();

		connection.listener().onText("chat:x", true);

		assertThat(calls).containsExactly("raw 1: chat:x", "typed: x", "raw 2: chat:x");
		assertThat(this.errors).isEmpty();
	}

	@Test
	void perTypeHandlersCannotBeMixedWithASingleTypedHandler() {
		this.hub.onMessage("chat", Chat.class, (session, chat) -> {
		});
		assertThatIllegalStateException().isThrownBy(() -> this.hub.onMessage(Chat.class, (session, chat) -> {
		})).withMessageContaining("[chat]").withMessageContaining("one form or the other");
		Hub single = Hub.create();
		single.onMessage(Chat.class, (session, chat) -> {
		});
		assertThatIllegalStateException().isThrownBy(() -> single.onMessage("chat", Chat.class, (session, chat) -> {
		})).withMessageContaining("'chat'").withMessageContaining("one form or the other");
		single.close();
	}

	@Test
	void aMessageTypeHasOneHandler() {
		this.hub.onMessage("chat", Chat.class, (session, chat) -> {
		});
		assertThatIllegalStateException().isThrownBy(() -> this.hub.onMessage("chat", Chat.class, (session, chat) -> {
		})).withMessage("Message type 'chat' already has a handler");
	}

	@Test
	void writeErrorSendsAnErrorInTheShapeOfTheDecodingErrorReply() {
		this.hub.codec(new LineCodec());
		TestConnection connection = open();
		assertThat(connection.session().writeError("Room is full")).isTrue();
		assertThat(connection.texts()).containsExactly("error:Room is full");
	}

	private TestConnection open() {
		this.hub.onError((session, error) -> this.errors.add(error));
		TestConnection connection = new TestConnection();
		connection.open(this.hub);
		return connection;
	}

	record Chat(String text) {
	}

	record Join(String room) {

		Join {
			if (room.isEmpty()) {
				throw new IllegalArgumentException("room is empty");
			}
		}

	}

	/**
	 * Encodes {@link Chat} and {@link Join} as {@code type:body}, and maps as
	 * {@code type:message}.
	 */
	static final class LineCodec implements Codec {

		int encodings;

		@Override
		public String encode(Object value) {
			this.encodings++;
			if (value instanceof Chat chat) {
				return "chat:" + chat.text();
			}
			if (value instanceof Join join) {
				return "join:" + join.room();
			}
			Map<?, ?> map = (Map<?, ?>) value;
			return map.get("type") + ":" + map.get("message");
		}

		@Override
		public <T> T decode(String text, Class<T> type) {
			String body = text.substring(separator(text) + 1);
			return type.cast((type == Chat.class) ? new Chat(body) : new Join(body));
		}

		@Override
		public @Nullable String readDiscriminator(String text, String property) {
			String type = text.substring(0, separator(text));
			return type.isEmpty() ? null : type;
		}

		private static int separator(String text) {
			int index = text.indexOf(':');
			if (index < 0) {
				throw new IllegalArgumentException("missing ':'");
			}
			return index;
		}

	}

}
