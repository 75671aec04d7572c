package dev.tutti.sample.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.tutti.Codec;
import dev.tutti.sample.chat.ChatMessages.Line;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link ChatHistory} in Redis, shared by every instance: a list per room,
 * {@code PREFIX:history:ROOM}, of the room's last messages as JSON, trimmed to the limit
 * on every message and forgotten when the room has had no message for a while.
 * Thread-safe.
 */
public final class RedisChatHistory implements ChatHistory {

	private static final RedisScript<Long> ADD = RedisScript.of("""
			redis.call('RPUSH', KEYS[1], ARGV[1])
			redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
			redis.call('PEXPIRE', KEYS[1], ARGV[3])
			return 1""", Long.class);

	private final StringRedisTemplate redis;

	private final Codec codec;

	private final String prefix;

	private final int perRoom;

	private final Duration keep;

	/**
	 * Create a history.
	 * @param redis the Redis connection
	 * @param codec encodes and decodes the messages
	 * @param prefix the prefix of the keys
	 * @param perRoom how many messages to keep per room
	 * @param keep how long a room's messages are kept after its last message
	 */
	public RedisChatHistory(StringRedisTemplate redis, Codec codec, String prefix, int perRoom, Duration keep) {
		this.redis = redis;
		this.codec = codec;
		this.prefix = prefix;
		this.perRoom = perRoom;
		this.keep = keep;
	}

	@Override
	public void add(Line line) {
		this.redis.execute(ADD, List.of(key(line.room())), this.codec.encode(line), Integer.toString(this.perRoom),
				Long.toString(this.keep.toMillis()));
	}

	@Override
	public List<Line> recent(String room) {
		List<String> lines = this.redis.opsForList().range(key(room), -this.perRoom, -1);
		List<Line> recent = new ArrayList<>();
		if (lines != null) {
			lines.forEach((line) -> recent.add(this.codec.decode(line, Line.class)));
		}
		return recent;
	}

	private String key(String room) {
		return this.prefix + ":history:" + room;
	}

}
