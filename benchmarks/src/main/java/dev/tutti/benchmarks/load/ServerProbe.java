package dev.tutti.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a local server JVM's CPU time from {@code /proc/<pid>/stat} and its memory with
 * {@code jcmd}.
 */
final class ServerProbe {

	/** Linux reports CPU times in clock ticks of 10 ms ({@code USER_HZ} = 100). */
	static final long MICROS_PER_TICK = 10_000;

	private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

	private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

	private static final Pattern NMT_HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

	private static final Pattern NMT_ARENA_CHUNKS = Pattern
		.compile("Arena Chunk \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

	private final long pid;

	ServerProbe(long pid) {
		this.pid = pid;
	}

	/**
	 * Return the server's CPU time, split into user and system time, the context switches
	 * of its live threads and its write system calls.
	 */
	CpuSample cpu() throws IOException {
		String line = Files.readString(Path.of("/proc", Long.toString(this.pid), "stat"));
		String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ", -1);
		long switches = 0;
		try (DirectoryStream<Path> tasks = Files
			.newDirectoryStream(Path.of("/proc", Long.toString(this.pid), "task"))) {
			for (Path task : tasks) {
				try {
					for (String status : Files.readAllLines(task.resolve("status"))) {
						if (status.startsWith("voluntary_ctxt_switches:")
								|| status.startsWith("nonvoluntary_ctxt_switches:")) {
							switches += Long.parseLong(status.substring(status.indexOf(':') + 1).trim());
						}
					}
				}
				catch (IOException ex) {
					// The thread ended.
				}
			}
		}
		long writes = 0;
		for (String io : Files.readAllLines(Path.of("/proc", Long.toString(this.pid), "io"))) {
			if (io.startsWith("syscw:")) {
				writes = Long.parseLong(io.substring(io.indexOf(':') + 1).trim());
			}
		}
		return new CpuSample(Long.parseLong(fields[11]), Long.parseLong(fields[12]), switches, writes);
	}

	/**
	 * Return this process's user plus system CPU time in clock ticks.
	 */
	static long selfCpuTicks() throws IOException {
		return cpuTicks(Path.of("/proc/self/stat"));
	}

	/**
	 * Return the connection attempts the kernel dropped so far because a listening
	 * socket's accept queue was full ({@code ListenDrops} of {@code /proc/net/netstat}):
	 * the client retries such a connect after a second, then after three more, and so on.
	 * The count is the whole system's (of this network namespace), or -1 if unknown.
	 */
	static long listenDrops() throws IOException {
		List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
		for (int i = 0; i + 1 < lines.size(); i++) {
			List<String> names = Arrays.asList(lines.get(i).split(" ", -1));
			int at = names.indexOf("ListenDrops");
			if (names.get(0).equals("TcpExt:") && at > 0) {
				return Long.parseLong(lines.get(i + 1).split(" ", -1)[at]);
			}
		}
		return -1;
	}

	/**
	 * Run a full GC in the server.
	 */
	void collectGarbage() throws IOException {
		jcmd("GC.run");
	}

	/**
	 * Run a full GC in the server twice, then read its heap use.
	 * @return the bytes of heap in use
	 */
	long heapUsedAfterGc() throws IOException {
		collectGarbage();
		collectGarbage();
		String heapInfo = jcmd("GC.heap_info");
		long heapUsed = 0;
		Matcher heap = HEAP_USED.matcher(heapInfo);
		while (heap.find()) {
			heapUsed += Long.parseLong(heap.group(1));
		}
		if (heapUsed == 0) {
			throw new IOException("No heap use in the GC.heap_info of process " + this.pid + ":\n" + heapInfo);
		}
		return heapUsed * 1024;
	}

	/**
	 * Run a full GC in the server, then read its heap use and its native memory. The
	 * native memory leaves out the heap and the pool of arena chunks, the JIT compiler's
	 * scratch memory that a timer frees, which would otherwise add or remove megabytes
	 * depending on when it last ran.
	 */
	Memory memory() throws IOException {
		collectGarbage();
		String heapInfo = jcmd("GC.heap_info");
		long heapUsed = 0;
		Matcher heap = HEAP_USED.matcher(heapInfo);
		while (heap.find()) {
			heapUsed += Long.parseLong(heap.group(1));
		}
		String nmt = jcmd("VM.native_memory", "summary");
		Matcher total = NMT_TOTAL.matcher(nmt);
		Matcher javaHeap = NMT_HEAP.matcher(nmt);
		if (!total.find() || !javaHeap.find()) {
			throw new IOException("No Native Memory Tracking summary from process " + this.pid
					+ " (start it with -XX:NativeMemoryTracking=summary):\n" + nmt);
		}
		long committed = Long.parseLong(total.group(2));
		long heapCommitted = Long.parseLong(javaHeap.group(2));
		Matcher arenaChunks = NMT_ARENA_CHUNKS.matcher(nmt);
		long arenaChunksCommitted = arenaChunks.find() ? Long.parseLong(arenaChunks.group(2)) : 0;
		return new Memory(heapUsed, committed - heapCommitted - arenaChunksCommitted, heapCommitted);
	}

	private String jcmd(String... command) throws IOException {
		Path jdkJcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		String[] line = new String[command.length + 2];
		line[0] = Files.isExecutable(jdkJcmd) ? jdkJcmd.toString() : "jcmd";
		line[1] = Long.toString(this.pid);
		System.arraycopy(command, 0, line, 2, command.length);
		Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
		try (InputStream output = process.getInputStream()) {
			String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IOException("jcmd " + String.join(" ", command) + " failed:\n" + text);
			}
			return text;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while running jcmd", ex);
		}
	}

	private static long cpuTicks(Path stat) throws IOException {
		String line = Files.readString(stat);
		String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ", -1);
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/**
	 * A server's CPU time in clock ticks and context switches.
	 *
	 * @param userTicks the CPU time spent in user mode
	 * @param systemTicks the CPU time spent in the kernel
	 * @param contextSwitches the voluntary and involuntary context switches of the live
	 * threads
	 * @param writes the write system calls ({@code syscw} of {@code /proc/<pid>/io})
	 */
	record CpuSample(long userTicks, long systemTicks, long contextSwitches, long writes) {

		CpuSample minus(CpuSample earlier) {
			return new CpuSample(this.userTicks - earlier.userTicks, this.systemTicks - earlier.systemTicks,
					this.contextSwitches - earlier.contextSwitches, this.writes - earlier.writes);
		}

	}

	/**
	 * A server's memory after a full GC, in KiB.
	 *
	 * @param heapUsed the heap in use
	 * @param nativeCommitted the memory committed outside the Java heap
	 * @param heapCommitted the committed Java heap
	 */
	record Memory(long heapUsed, long nativeCommitted, long heapCommitted) {

		long total() {
			return this.heapUsed + this.nativeCommitted;
		}

	}

}
