package dev.tutti.sample.chat;

import java.security.Principal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.tutti.HandshakeResult;
import dev.tutti.Hub;
import dev.tutti.Session;
import dev.tutti.Target;
import dev.tutti.sample.chat.ChatMessages.Arrival;
import dev.tutti.sample.chat.ChatMessages.Entered;
import dev.tutti.sample.chat.ChatMessages.Exited;
import dev.tutti.sample.chat.ChatMessages.Hello;
import dev.tutti.sample.chat.ChatMessages.Join;
import dev.tutti.sample.chat.ChatMessages.Leave;
import dev.tutti.sample.chat.ChatMessages.Line;
import dev.tutti.sample.chat.ChatMessages.Presence;
import dev.tutti.sample.chat.ChatMessages.PrivateLine;
import dev.tutti.sample.chat.ChatMessages.Refusal;
import dev.tutti.sample.chat.ChatMessages.RoomCount;
import dev.tutti.sample.chat.ChatMessages.Rooms;
import dev.tutti.sample.chat.ChatMessages.Say;
import dev.tutti.sample.chat.ChatMessages.Typing;
import dev.tutti.sample.chat.ChatMessages.TypingNotice;
import dev.tutti.sample.chat.ChatMessages.Welcome;
import dev.tutti.sample.chat.ChatMessages.Whisper;
import dev.tutti.spring.autoconfigure.TuttiHubCustomizer;
import org.jspecify.annotations.Nullable;

/**
 * The chat: registers the hub's handlers, one typed handler per kind of message a page
 * sends. Input that is not acceptable gets an error message ({@code {"type":"error"}});
 * the session stays open.
 * <p>
 * Each session with a nickname is also in a room of its own user, {@code @} and the
 * nickname in lower case, so that a private message reaches every tab of its addressee
 * with one room broadcast. Public room names cannot start with {@code @}.
 */
public final class Chat implements TuttiHubCustomizer {

	/** The room every page joins first. */
	public static final String LOBBY = "lobby";

	static final String NICKNAME = "nickname";

	static final String PRINCIPAL = "principal";

	private static final String USER_ROOM = "@";

	private final ChatDirectory directory;

	private final ChatHistory history;

	private final Clock clock;

	private final String idPrefix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "-";

	private final AtomicLong ids = new AtomicLong();

	/**
	 * Held while a presence change is recorded and announced, so that the announcements
	 * of two changes reach every page in the order the changes happened (broadcasts only
	 * queue, so this is never held across I/O).
	 */
	private final Object presence = new Object();

	/**
	 * Create the chat.
	 * @param directory nicknames and presence
	 * @param history the rooms' last messages
	 * @param clock the clock that stamps messages
	 */
	public Chat(ChatDirectory directory, ChatHistory history, Clock clock) {
		this.directory = directory;
		this.history = history;
		this.clock = clock;
	}

	@Override
	public void customize(Hub hub) {
		hub.onHandshake((request) -> {
			Principal principal = request.principal();
			if (principal != null) {
				request.attributes().put(PRINCIPAL, principal.getName());
			}
			return HandshakeResult.accept();
		});
		hub.onMessage("hello", Hello.class, (session, hello) -> hello(session, hello));
		hub.onMessage("join", Join.class, (session, join) -> join(session, join));
		hub.onMessage("leave", Leave.class, (session, leave) -> leave(session, leave));
		hub.onMessage("say", Say.class, (session, say) -> say(hub, session, say));
		hub.onMessage("typing", Typing.class, (session, typing) -> typing(hub, session, typing));
		hub.onMessage("private", Whisper.class, (session, whisper) -> whisper(hub, session, whisper));
		hub.onJoin((session, room) -> entered(hub, session, room));
		hub.onLeave((session, room) -> exited(hub, session, room));
		hub.onDisconnect((session, status) -> {
			String nickname = nickname(session);
			if (nickname != null) {
				this.directory.release(nickname, session.id());
			}
		});
	}

	private void hello(Session session, Hello hello) {
		if (nickname(session) != null) {
			session.writeError("You are " + nickname(session) + " already; reload the page to change your nickname");
			return;
		}
		String nickname = Objects.requireNonNullElse(hello.nickname(), "").strip();
		String problem = ChatInput.checkNickname(nickname);
		if (problem != null) {
			session.writeError(problem);
			return;
		}
		String principal = session.get(PRINCIPAL, String.class);
		String key = Objects.requireNonNullElse(hello.key(), "");
		if (principal == null && (key.length() < 16 || key.length() > 64)) {
			session.writeError("A hello needs the browser's key (16 to 64 characters)");
			return;
		}
		String owner = (principal != null) ? "user:" + principal : "key:" + key;
		// the attribute first, so that a disconnect from now on releases the claim
		session.set(NICKNAME, nickname);
		if (!this.directory.claim(nickname, owner, session.id())) {
			session.remove(NICKNAME);
			session.writeError("The nickname '" + nickname + "' is taken; choose another");
			return;
		}
		if (session.isClosed()) {
			this.directory.release(nickname, session.id());
			return;
		}
		nickname = this.directory.spelling(nickname);
		session.set(NICKNAME, nickname);
		session.writeJson(new Welcome(nickname, principal));
		session.writeJson(rooms());
		session.join(userRoom(nickname));
	}

	private void join(Session session, Join join) {
		if (requireNickname(session) == null) {
			return;
		}
		String name = Objects.requireNonNullElse(join.room(), "");
		String problem = ChatInput.checkRoom(name);
		if (problem != null) {
			session.writeError(problem);
			return;
		}
		String room = ChatInput.normalizeRoom(name);
		if (session.rooms().contains(room)) {
			return;
		}
		if (!this.directory.canOpen(room)) {
			session.writeError("There are too many rooms; join one of them");
			return;
		}
		session.join(room);
	}

	private void leave(Session session, Leave leave) {
		String room = (leave.room() != null) ? ChatInput.normalizeRoom(leave.room()) : "";
		if (isUserRoom(room) || !session.leave(room)) {
			session.writeError("You are not in room '" + leave.room() + "'");
		}
	}

	private void say(Hub hub, Session session, Say say) {
		String nickname = requireNickname(session);
		if (nickname == null) {
			return;
		}
		String room = (say.room() != null) ? ChatInput.normalizeRoom(say.room()) : "";
		if (isUserRoom(room) || !session.rooms().contains(room)) {
			session.writeJson(new Refusal("Join room '" + say.room() + "' first", ref(say.ref())));
			return;
		}
		String text = Objects.requireNonNullElse(say.text(), "");
		String problem = ChatInput.checkText(text);
		if (problem != null) {
			session.writeJson(new Refusal(problem, ref(say.ref())));
			return;
		}
		Line line = new Line("message", nextId(), room, nickname, text, this.clock.millis(), ref(say.ref()));
		this.history.add(line);
		hub.room(room).broadcastJson(line);
	}

	private void typing(Hub hub, Session session, Typing typing) {
		String nickname = requireNickname(session);
		String room = requireRoom(session, typing.room());
		if (nickname != null && room != null) {
			hub.room(room).broadcastJsonOthers(session, new TypingNotice(room, nickname));
		}
	}

	private void whisper(Hub hub, Session session, Whisper whisper) {
		String nickname = requireNickname(session);
		if (nickname == null) {
			return;
		}
		String to = whisper.to();
		if (to == null || ChatInput.checkNickname(to) != null || !this.directory.isOnline(to)) {
			session.writeJson(new Refusal("No user '" + to + "' is connected", ref(whisper.ref())));
			return;
		}
		String text = Objects.requireNonNullElse(whisper.text(), "");
		String problem = ChatInput.checkText(text);
		if (problem != null) {
			session.writeJson(new Refusal(problem, ref(whisper.ref())));
			return;
		}
		to = this.directory.spelling(to);
		PrivateLine line = new PrivateLine("private", nextId(), nickname, to, text, this.clock.millis(),
				ref(whisper.ref()));
		hub.room(userRoom(to)).broadcastJson(line);
		if (!userRoom(to).equals(userRoom(nickname))) {
			session.writeJson(line);
		}
	}

	private void entered(Hub hub, Session session, String room) {
		String nickname = nickname(session);
		if (isUserRoom(room) || nickname == null) {
			return;
		}
		synchronized (this.presence) {
			boolean arrived = this.directory.enter(room, nickname, session.id());
			if (!session.rooms().contains(room)) {
				// it left or disconnected meanwhile, and its leave may have been handled
				// first
				this.directory.exit(room, nickname, session.id());
				return;
			}
			session.writeJson(new Entered(room, this.directory.present(room), this.history.recent(room)));
			if (arrived) {
				hub.room(room).broadcastJson(new Arrival("joined", room, nickname));
				hub.room(room).broadcastJson(new Presence(room, this.directory.present(room)));
				hub.broadcastJson(Target.all(), rooms());
			}
		}
	}

	private void exited(Hub hub, Session session, String room) {
		String nickname = nickname(session);
		if (isUserRoom(room) || nickname == null) {
			return;
		}
		synchronized (this.presence) {
			boolean departed = this.directory.exit(room, nickname, session.id());
			if (!session.isClosed()) {
				session.writeJson(new Exited(room));
			}
			if (departed && !hub.isClosed()) {
				hub.room(room).broadcastJson(new Arrival("left", room, nickname));
				hub.room(room).broadcastJson(new Presence(room, this.directory.present(room)));
				hub.broadcastJson(Target.all(), rooms());
			}
		}
	}

	private Rooms rooms() {
		List<RoomCount> rooms = new ArrayList<>();
		this.directory.rooms().forEach((name, members) -> rooms.add(new RoomCount(name, members)));
		return new Rooms(rooms);
	}

	private @Nullable String requireNickname(Session session) {
		String nickname = nickname(session);
		if (nickname == null) {
			session.writeError("Choose a nickname first");
		}
		return nickname;
	}

	private @Nullable String requireRoom(Session session, @Nullable String name) {
		String room = (name != null) ? ChatInput.normalizeRoom(name) : null;
		if (room == null || isUserRoom(room) || !session.rooms().contains(room)) {
			session.writeError("Join room '" + name + "' first");
			return null;
		}
		return room;
	}

	private static @Nullable String ref(@Nullable String ref) {
		return (ref != null && ref.length() <= 64) ? ref : null;
	}

	private String nextId() {
		return this.idPrefix + Long.toString(this.ids.incrementAndGet(), 36);
	}

	private static @Nullable String nickname(Session session) {
		return session.get(NICKNAME, String.class);
	}

	private static String userRoom(String nickname) {
		return USER_ROOM + nickname.toLowerCase(Locale.ROOT);
	}

	private static boolean isUserRoom(String room) {
		return room.startsWith(USER_ROOM);
	}

}
