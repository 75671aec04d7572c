/**
 * A Redis pub/sub backplane that relays the broadcasts of a Tutti hub to every instance
 * of an application: {@link dev.tutti.redis.RedisBackplane}.
 */
@NullMarked
package dev.tutti.redis;

import org.jspecify.annotations.NullMarked;
