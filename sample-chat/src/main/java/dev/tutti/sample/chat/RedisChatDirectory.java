package dev.tutti.sample.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link ChatDirectory} in Redis, shared by every instance of the chat: nicknames are
 * unique, and presence and member counts are the same, across instances.
 * <p>
 * Every claim of a nickname and every presence of a session in a room is an entry with an
 * expiry, in a sorted set scored by when it expires (Redis time, ms). The instance that
 * holds the session renews its entries every third of the time to live, and removes them
 * when the session leaves or closes. Should an instance crash, its sessions' entries
 * expire within the time to live: their nicknames are free again and they no longer count
 * in rooms, though nobody announces that they left. Each change is one Lua script, so two
 * instances never both claim a nickname or both announce a user's arrival.
 * <p>
 * Keys, with the prefix {@code P}:
 * <ul>
 * <li>{@code P:nick:NICKNAME} (lower case): sorted set of the holder's sessions,
 * {@code SESSION \n OWNER \n SPELLING} (the owner Base64-encoded)</li>
 * <li>{@code P:room:ROOM}: sorted set of the sessions in the room,
 * {@code NICKNAME \n SESSION \n SPELLING}</li>
 * <li>{@code P:rooms}: set of the rooms that have, or recently had, sessions</li>
 * </ul>
 * One Redis server, not a Redis Cluster: {@link #rooms()} reads keys that it computes.
 */
public final class RedisChatDirectory implements ChatDirectory, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisChatDirectory.class);

	private static final String NOW = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			""";

	/** Functions on members: field n (from 1) between newlines, and the text after n. */
	private static final String FIELD = """
			local function after(member, n)
				local start = 1
				for _ = 1, n do start = string.find(member, '\\n', start, true) + 1 end
				return string.sub(member, start)
			end
			local function field(member, n)
				local rest = after(member, n - 1)
				local stop = string.find(rest, '\\n', 1, true)
				if stop then return string.sub(rest, 1, stop - 1) end
				return rest
			end
			""";

	/**
	 * KEYS: nickname; ARGV: session, owner, spelling, ttl. The spelling, or nil if taken.
	 */
	private static final RedisScript<String> CLAIM = RedisScript.of(NOW + FIELD + """
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			local spelling = ARGV[3]
			local first = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
			if first then
				if field(first, 2) ~= ARGV[2] then return false end
				spelling = after(first, 2)
			end
			redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1] .. '\\n' .. ARGV[2] .. '\\n' .. spelling)
			redis.call('PEXPIRE', KEYS[1], ARGV[4])
			return spelling""", String.class);

	/** KEYS: nickname; ARGV: fallback. The holder's spelling, or the fallback. */
	private static final RedisScript<String> SPELLING = RedisScript.of(NOW + FIELD + """
			local first = redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf', 'LIMIT', 0, 1)[1]
			if first then return after(first, 2) end
			return ARGV[1]""", String.class);

	/** KEYS: room, rooms; ARGV: member, nickname prefix, ttl, room. 1 if first. */
	private static final RedisScript<Long> ENTER = RedisScript.of(NOW + """
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			local present = false
			for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
				if string.sub(member, 1, #ARGV[2]) == ARGV[2] then present = true end
			end
			local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
			redis.call('PEXPIRE', KEYS[1], ARGV[3])
			redis.call('SADD', KEYS[2], ARGV[4])
			if added == 1 and not present then return 1 end
			return 0""", Long.class);

	/** KEYS: room, rooms; ARGV: member, nickname prefix, room. 1 if it was the last. */
	private static final RedisScript<Long> EXIT = RedisScript.of(NOW + """
			local removed = redis.call('ZREM', KEYS[1], ARGV[1])
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			if redis.call('ZCARD', KEYS[1]) == 0 then
				redis.call('SREM', KEYS[2], ARGV[3])
			end
			if removed == 0 then return 0 end
			for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
				if string.sub(member, 1, #ARGV[2]) == ARGV[2] then return 0 end
			end
			return 1""", Long.class);

	/** KEYS: any sorted set. Its live members. */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> LIVE = RedisScript.of(NOW + """
			return redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')""", List.class);

	/** KEYS: rooms; ARGV: prefix of room keys. Room, users, room, users, ... */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ROOMS = RedisScript.of(NOW + FIELD + """
			local counts = {}
			for _, room in ipairs(redis.call('SMEMBERS', KEYS[1])) do
				local key = ARGV[1] .. room
				redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
				local users = {}
				local n = 0
				for _, member in ipairs(redis.call('ZRANGE', key, 0, -1)) do
					local user = field(member, 1)
					if not users[user] then users[user] = true; n = n + 1 end
				end
				if n == 0 then
					redis.call('SREM', KEYS[1], room)
				else
					table.insert(counts, room)
					table.insert(counts, tostring(n))
				end
			end
			return counts""", List.class);

	/** KEYS: sorted sets; ARGV: ttl, then a member of each. Renews those still there. */
	private static final RedisScript<Long> RENEW = RedisScript.of(NOW + """
			local renewed = 0
			for i, key in ipairs(KEYS) do
				if redis.call('ZSCORE', key, ARGV[i + 1]) then
					redis.call('ZADD', key, 'XX', now + tonumber(ARGV[1]), ARGV[i + 1])
					redis.call('PEXPIRE', key, ARGV[1])
					renewed = renewed + 1
				end
			end
			return renewed""", Long.class);

	private final StringRedisTemplate redis;

	private final String prefix;

	private final String defaultRoom;

	private final int maxRooms;

	private final Duration ttl;

	/** This instance's entries, by session and (for presence) room, to renew them. */
	private final Map<String, Entry> claims = new ConcurrentHashMap<>();

	private final Map<String, Entry> presence = new ConcurrentHashMap<>();

	private final ScheduledExecutorService renewer;

	/**
	 * Create a directory and start renewing its entries.
	 * @param redis the Redis connection
	 * @param prefix the prefix of the keys
	 * @param defaultRoom the room that is always listed
	 * @param maxRooms how many rooms may have users at once
	 * @param ttl how long an entry lives unless renewed; the entries of a crashed
	 * instance are gone after at most this long
	 */
	public RedisChatDirectory(StringRedisTemplate redis, String prefix, String defaultRoom, int maxRooms,
			Duration ttl) {
		if (ttl.toMillis() < 300) {
			throw new IllegalArgumentException("The time to live of a claim must be at least 300ms, was " + ttl);
		}
		this.redis = redis;
		this.prefix = prefix;
		this.defaultRoom = defaultRoom;
		this.maxRooms = maxRooms;
		this.ttl = ttl;
		this.renewer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "chat-directory-renewer");
			thread.setDaemon(true);
			return thread;
		});
		long period = ttl.toMillis() / 3;
		this.renewer.scheduleWithFixedDelay(this::renewQuietly, period, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public boolean claim(String nickname, String owner, String sessionId) {
		String key = nicknameKey(nickname);
		String encodedOwner = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(owner.getBytes(StandardCharsets.UTF_8));
		String spelling = this.redis.execute(CLAIM, List.of(key), sessionId, encodedOwner, nickname, ttl());
		if (spelling == null) {
			return false;
		}
		this.claims.put(sessionId, new Entry(key, sessionId + "\n" + encodedOwner + "\n" + spelling));
		return true;
	}

	@Override
	public void release(String nickname, String sessionId) {
		Entry entry = this.claims.remove(sessionId);
		if (entry != null) {
			this.redis.opsForZSet().remove(entry.key(), entry.member());
		}
	}

	@Override
	public boolean isOnline(String nickname) {
		return !live(nicknameKey(nickname)).isEmpty();
	}

	@Override
	public String spelling(String nickname) {
		String spelling = this.redis.execute(SPELLING, List.of(nicknameKey(nickname)), nickname);
		return (spelling != null) ? spelling : nickname;
	}

	@Override
	public boolean enter(String room, String nickname, String sessionId) {
		String user = user(nickname);
		String member = user + sessionId + "\n" + nickname;
		Long first = this.redis.execute(ENTER, List.of(roomKey(room), roomsKey()), member, user, ttl(), room);
		this.presence.put(room + "\n" + sessionId, new Entry(roomKey(room), member));
		return Long.valueOf(1).equals(first);
	}

	@Override
	public boolean exit(String room, String nickname, String sessionId) {
		Entry entry = this.presence.remove(room + "\n" + sessionId);
		String member = (entry != null) ? entry.member() : user(nickname) + sessionId + "\n" + nickname;
		Long last = this.redis.execute(EXIT, List.of(roomKey(room), roomsKey()), member, user(nickname), room);
		return Long.valueOf(1).equals(last);
	}

	@Override
	public List<String> present(String room) {
		Map<String, String> users = new TreeMap<>();
		for (String member : live(roomKey(room))) {
			String[] parts = member.split("\n", 3);
			if (parts.length == 3) {
				users.putIfAbsent(parts[0], parts[2]);
			}
		}
		List<String> names = new ArrayList<>(users.values());
		names.sort(String.CASE_INSENSITIVE_ORDER);
		return names;
	}

	@Override
	public Map<String, Integer> rooms() {
		Map<String, Integer> counts = new TreeMap<>();
		counts.put(this.defaultRoom, 0);
		List<?> flat = this.redis.execute(ROOMS, List.of(roomsKey()), this.prefix + ":room:");
		if (flat != null) {
			for (int i = 0; i + 1 < flat.size(); i += 2) {
				counts.put(String.valueOf(flat.get(i)), Integer.valueOf(String.valueOf(flat.get(i + 1))));
			}
		}
		return counts;
	}

	@Override
	public boolean canOpen(String room) {
		if (room.equals(this.defaultRoom)) {
			return true;
		}
		Map<String, Integer> rooms = rooms();
		int open = rooms.size() - ((rooms.getOrDefault(this.defaultRoom, 0) == 0) ? 1 : 0);
		return rooms.containsKey(room) || open < this.maxRooms;
	}

	/**
	 * Renew the expiry of every entry of this instance's sessions; the directory does
	 * this by itself every third of the time to live.
	 * @return how many entries were renewed
	 */
	public long renew() {
		List<String> keys = new ArrayList<>();
		List<String> args = new ArrayList<>();
		args.add(ttl());
		for (Map<String, Entry> entries : List.of(this.claims, this.presence)) {
			entries.values().forEach((entry) -> {
				keys.add(entry.key());
				args.add(entry.member());
			});
		}
		if (keys.isEmpty()) {
			return 0;
		}
		Long renewed = this.redis.execute(RENEW, keys, args.toArray());
		return (renewed != null) ? renewed : 0;
	}

	/**
	 * Stop renewing the entries, leaving them to expire. The sessions release their own
	 * entries when the hub closes them.
	 */
	@Override
	public void close() {
		this.renewer.shutdownNow();
	}

	private void renewQuietly() {
		try {
			renew();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not renew the chat's claims in Redis; they expire in " + this.ttl + " unless renewed",
					ex);
		}
	}

	@SuppressWarnings("unchecked")
	private List<String> live(String key) {
		List<String> members = this.redis.execute(LIVE, List.of(key));
		return (members != null) ? members : List.of();
	}

	private String ttl() {
		return Long.toString(this.ttl.toMillis());
	}

	private String nicknameKey(String nickname) {
		return this.prefix + ":nick:" + nickname.toLowerCase(Locale.ROOT);
	}

	private String roomKey(String room) {
		return this.prefix + ":room:" + room;
	}

	private String roomsKey() {
		return this.prefix + ":rooms";
	}

	private static String user(String nickname) {
		return nickname.toLowerCase(Locale.ROOT) + "\n";
	}

	private record Entry(String key, String member) {
	}

}
