package dev.tutti;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link MessageAssembler}: messages reassembled intact from parts of any size,
 * at a cost of their size once, and given up after a timeout.
 */
class MessageAssemblerTests {

	private static final int MIB = 1024 * 1024;

	private final Random random = new Random();

	@ParameterizedTest
	@ValueSource(ints = { 1, 7, 1024, MessageAssembler.BLOCK_SIZE - 1, MessageAssembler.BLOCK_SIZE,
			MessageAssembler.BLOCK_SIZE + 1, 100_000 })
	void reassemblesBinaryMessageFromPartsOfAnySize(int partSize) {
		MessageAssembler assembler = new MessageAssembler(MIB);
		byte[] message = randomBytes(100_000);
		byte[] result = null;
		for (int start = 0; start < message.length; start += partSize) {
			int length = Math.min(partSize, message.length - start);
			result = assembler.binary("s1", ByteBuffer.wrap(message, start, length), start + length == message.length);
		}
		assertThat(result).isEqualTo(message);
		assertThat(assembler.lastSize()).isEqualTo(message.length);
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 7, 1024, MessageAssembler.BLOCK_SIZE - 1, MessageAssembler.BLOCK_SIZE,
			MessageAssembler.BLOCK_SIZE + 1, 100_000 })
	void reassemblesTextMessageFromPartsOfAnySize(int partSize) {
		MessageAssembler assembler = new MessageAssembler(MIB);
		String message = "h\u00e9llo w\u00f6rld \u20ac \ud83d\ude00 ".repeat(5_000);
		String result = null;
		for (int start = 0; start < message.length(); start += partSize) {
			int end = Math.min(start + partSize, message.length());
			result = assembler.text("s1", message.substring(start, end), end == message.length());
		}
		assertThat(result).isEqualTo(message);
	}

	@Test
	void reusesNothingBetweenMessages() {
		MessageAssembler assembler = new MessageAssembler(MIB);
		assertThat(assembler.binary("s1", ByteBuffer.wrap(new byte[] { 1, 2 }), false)).isNull();
		assertThat(assembler.binary("s1", ByteBuffer.wrap(new byte[] { 3 }), true)).containsExactly(1, 2, 3);
		assertThat(assembler.binary("s1", ByteBuffer.wrap(new byte[] { 4 }), true)).containsExactly(4);
		assertThat(assembler.text("s1", "a", false)).isNull();
		assertThat(assembler.text("s1", "b", true)).isEqualTo("ab");
		assertThat(assembler.text("s1", "c", true)).isEqualTo("c");
	}

	/**
	 * Growing a buffer by doubling allocates about twice a message's size while it
	 * arrives, and again as much to trim it; blocks allocate its size once, plus the
	 * message itself.
	 */
	@Test
	void allocatesABinaryMessageOnceWhileReassemblingIt() {
		MessageAssembler assembler = new MessageAssembler(16 * MIB);
		int size = 4 * MIB + 123;
		ByteBuffer part = ByteBuffer.allocate(1024);
		long allocated = allocatedBytes(() -> {
			int left = size;
			while (left > 0) {
				int length = Math.min(left, part.capacity());
				left -= length;
				assembler.binary("s1", part.clear().limit(length), left == 0);
			}
		});
		assertThat(allocated).isLessThan((long) (size * 2.1));
	}

	@Test
	void allocatesATextMessageOnceWhileReassemblingIt() {
		MessageAssembler assembler = new MessageAssembler(16 * MIB);
		String part = "a".repeat(1024);
		int parts = 4 * 1024;
		long allocated = allocatedBytes(() -> {
			for (int i = 1; i <= parts; i++) {
				assembler.text("s1", part, i == parts);
			}
		});
		// Latin-1 text takes a byte per char
		assertThat(allocated).isLessThan((long) (parts * 1024 * 2.1));
	}

	@Test
	void holdsNoBufferWhenIdleOrForAWholeMessage() {
		MessageAssembler assembler = new MessageAssembler(MIB);
		assertThat(assembler.timedOut(System.nanoTime() + TimeUnit.HOURS.toNanos(1), 1)).isFalse();
		String whole = "whole";
		assertThat(assembler.text("s1", whole, true)).isSameAs(whole);
		assertThat(assembler.timedOut(System.nanoTime() + TimeUnit.HOURS.toNanos(1), 1)).isFalse();
	}

	@Test
	void checksAWholeMessageWithoutAnAssembler() {
		assertThat(MessageAssembler.wholeTextSize("s1", "h\u00e9", 3)).isEqualTo(3);
		assertThatExceptionOfType(MessageTooBigException.class)
			.isThrownBy(() -> MessageAssembler.wholeTextSize("s1", "h\u00e9\u00e9", 4));
		ByteBuffer four = ByteBuffer.wrap(new byte[] { 1, 2, 3, 4 });
		assertThat(MessageAssembler.wholeBinary("s1", four, 4)).containsExactly(1, 2, 3, 4);
		assertThat(four.hasRemaining()).isFalse();
		assertThatExceptionOfType(MessageTooBigException.class)
			.isThrownBy(() -> MessageAssembler.wholeBinary("s1", ByteBuffer.allocate(5), 4));
	}

	@Test
	void timesOutAFragmentedMessageInProgress() {
		MessageAssembler assembler = new MessageAssembler(MIB);
		long before = System.nanoTime();
		assembler.binary("s1", ByteBuffer.wrap(new byte[10]), false);
		long timeout = TimeUnit.SECONDS.toNanos(5);
		assertThat(assembler.timedOut(before + timeout - 1, timeout)).isFalse();
		assertThat(assembler.timedOut(System.nanoTime() + timeout + 1, timeout)).isTrue();
		assembler.binary("s1", ByteBuffer.wrap(new byte[10]), true);
		assertThat(assembler.timedOut(System.nanoTime() + timeout + 1, timeout)).isFalse();
	}

	@Test
	void ignoresPartsAfterDiscard() {
		MessageAssembler assembler = new MessageAssembler(MIB);
		assembler.text("s1", "a", false);
		assembler.discard();
		assertThat(assembler.timedOut(System.nanoTime() + TimeUnit.HOURS.toNanos(1), 1)).isFalse();
		assertThat(assembler.text("s1", "b", true)).isNull();
		assertThat(assembler.binary("s1", ByteBuffer.wrap(new byte[1]), false)).isNull();
		assertThat(assembler.timedOut(System.nanoTime() + TimeUnit.HOURS.toNanos(1), 1)).isFalse();
	}

	private byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		this.random.nextBytes(bytes);
		return bytes;
	}

	/**
	 * Return the bytes the current thread allocated while running the task.
	 */
	private static long allocatedBytes(Runnable task) {
		assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
		threads.setThreadAllocatedMemoryEnabled(true);
		long id = Thread.currentThread().getId();
		long before = threads.getThreadAllocatedBytes(id);
		task.run();
		return threads.getThreadAllocatedBytes(id) - before;
	}

}
