package dev.tutti.benchmarks.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A profile in the collapsed-stack format, attributed to whose code spent it: each stack
 * goes to the innermost Java frame outside the JDK (its owner), as code that calls into
 * the JDK pays for what the JDK does for it. A line is a stack from the thread's root to
 * its innermost frame, frames separated by {@code ;} (a native frame may hold spaces),
 * then a space and the amount (bytes or samples); further numbers after it are ignored.
 * In an allocation profile the last frame names the allocated class; in a CPU profile
 * frames ending in {@code _[k]} are the kernel's. Not thread-safe.
 */
public final class StackProfile {

	/** A stack run by a scheduled task, such as the hub's heartbeat. */
	static final String SCHEDULED_TASK = "java/util/concurrent/ScheduledThreadPoolExecutor$ScheduledFutureTask.run";

	/**
	 * The frame of the JVM's compiler threads: a stack with it is the JIT compiling.
	 */
	static final String COMPILER_THREAD = "CompileBroker::compiler_thread_loop";

	/**
	 * The package of Tutti's Spring Boot module: the transport and the protocol engine.
	 */
	static final String AUTOCONFIGURE_PACKAGE = "dev/tutti/spring/";

	private static final String[] JDK_PACKAGES = { "java/", "javax/", "jdk/", "sun/", "com/sun/" };

	private final boolean allocations;

	private long total;

	private final Map<Owner, Long> byOwner = new EnumMap<>(Owner.class);

	private long kernel;

	private long scheduled;

	private long compiler;

	private long underTutti;

	private long tuttiAutoconfigure;

	private final Map<String, Long> tuttiSites = new HashMap<>();

	/**
	 * Create an empty profile.
	 * @param allocations whether stacks end with the allocated class (an allocation
	 * profile) rather than with the running frame (a CPU profile)
	 */
	public StackProfile(boolean allocations) {
		this.allocations = allocations;
	}

	/**
	 * Add every stack of a collapsed profile.
	 * @param collapsed the profile's text
	 * @throws IOException if reading fails
	 * @throws IllegalArgumentException if a line has no amount
	 */
	public void read(Reader collapsed) throws IOException {
		BufferedReader reader = new BufferedReader(collapsed);
		for (String line = reader.readLine(); line != null; line = reader.readLine()) {
			if (!line.isBlank()) {
				add(line);
			}
		}
	}

	void add(String line) {
		String stack = line.trim();
		long amount = -1;
		for (int space = stack.lastIndexOf(' '); space > 0
				&& isNumber(stack.substring(space + 1)); space = stack.lastIndexOf(' ')) {
			amount = Long.parseLong(stack.substring(space + 1));
			stack = stack.substring(0, space);
		}
		if (amount < 0) {
			throw new IllegalArgumentException("No amount on the line '" + line + "'");
		}
		List<String> frames = List.of(stack.split(";"));
		String allocated = null;
		if (this.allocations && !frames.isEmpty()) {
			allocated = frames.get(frames.size() - 1).replaceFirst("_\\[.]$", "");
			frames = frames.subList(0, frames.size() - 1);
		}
		String owner = null;
		boolean java = false;
		boolean tutti = false;
		for (int i = frames.size() - 1; i >= 0; i--) {
			String frame = frames.get(i);
			if (isJava(frame)) {
				java = true;
				if (owner == null && !isJdk(frame)) {
					owner = frame;
				}
				tutti |= Owner.of(frame) == Owner.TUTTI;
			}
		}
		Owner category = (owner != null) ? Owner.of(owner) : java ? Owner.JDK : Owner.NATIVE;
		this.total += amount;
		this.byOwner.merge(category, amount, Long::sum);
		if (!this.allocations && !frames.isEmpty() && frames.get(frames.size() - 1).endsWith("_[k]")) {
			this.kernel += (category == Owner.TUTTI) ? amount : 0;
		}
		if (category == Owner.TUTTI && frames.contains(SCHEDULED_TASK)) {
			this.scheduled += amount;
		}
		if (category == Owner.TUTTI && owner != null && owner.startsWith(AUTOCONFIGURE_PACKAGE)) {
			this.tuttiAutoconfigure += amount;
		}
		if (!this.allocations && frames.contains(COMPILER_THREAD)) {
			this.compiler += amount;
		}
		if (tutti) {
			this.underTutti += amount;
		}
		if (category == Owner.TUTTI && owner != null) {
			String site = (allocated != null) ? allocated + " <- " + owner : owner;
			this.tuttiSites.merge(site, amount, Long::sum);
		}
	}

	/**
	 * Return the amount of every stack.
	 * @return the total
	 */
	public long total() {
		return this.total;
	}

	/**
	 * Return the amount of the stacks an owner spent.
	 * @param owner whose code
	 * @return the amount
	 */
	public long of(Owner owner) {
		return this.byOwner.getOrDefault(owner, 0L);
	}

	/**
	 * Return the amount of Tutti's stacks that ran in the kernel (CPU profiles only).
	 * @return the amount
	 */
	public long tuttiInKernel() {
		return this.kernel;
	}

	/**
	 * Return the amount of Tutti's stacks run by scheduled tasks (the hub's heartbeat and
	 * its writer pool's checks), which a connection does not cause.
	 * @return the amount
	 */
	public long tuttiScheduled() {
		return this.scheduled;
	}

	/**
	 * Return the amount of the JIT compiler's stacks (CPU profiles only): while it is
	 * large, the code being measured is not compiled yet and runs slower than it will.
	 * @return the amount
	 */
	public long compiler() {
		return this.compiler;
	}

	/**
	 * Return the amount of Tutti's stacks owned by its Spring Boot module
	 * ({@code dev.tutti.spring}: the servlet, the transport and the protocol engine)
	 * rather than by the core.
	 * @return the amount
	 */
	public long tuttiAutoconfigure() {
		return this.tuttiAutoconfigure;
	}

	/**
	 * Return the amount of every stack with a frame of Tutti, whoever its owner.
	 * @return the amount
	 */
	public long underTutti() {
		return this.underTutti;
	}

	/**
	 * Return Tutti's sites, largest first: the owning frame, after the allocated class in
	 * an allocation profile.
	 * @param limit the most sites to return
	 * @return the sites and their amounts
	 */
	public List<Map.Entry<String, Long>> tuttiSites(int limit) {
		List<Map.Entry<String, Long>> sites = new ArrayList<>(this.tuttiSites.entrySet());
		sites.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
			.thenComparing(Map.Entry.comparingByKey()));
		return sites.subList(0, Math.min(limit, sites.size()));
	}

	private static boolean isNumber(String field) {
		if (field.isEmpty() || field.length() > 18) {
			return false;
		}
		for (int i = 0; i < field.length(); i++) {
			if (!Character.isDigit(field.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isJava(String frame) {
		return !frame.startsWith("[") && !frame.endsWith("_[k]") && frame.indexOf('/') > 0 && frame.indexOf('.') > 0;
	}

	private static boolean isJdk(String frame) {
		for (String prefix : JDK_PACKAGES) {
			if (frame.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whose code a stack's owner is.
	 */
	public enum Owner {

		/** Tutti's, outside its benchmarks. */
		TUTTI,

		/** The benchmarks' server. */
		BENCHMARK,

		/** Spring's. */
		SPRING,

		/** Tomcat's. */
		TOMCAT,

		/** Other libraries'. */
		OTHER,

		/** The JDK's alone: no other Java frame on the stack. */
		JDK,

		/** No Java frame: the JVM's own threads (compilers, collector) or native code. */
		NATIVE;

		static Owner of(@Nullable String frame) {
			if (frame == null) {
				return NATIVE;
			}
			if (frame.startsWith("dev/tutti/benchmarks/")) {
				return BENCHMARK;
			}
			if (frame.startsWith("dev/tutti/")) {
				return TUTTI;
			}
			if (frame.startsWith("org/springframework/")) {
				return SPRING;
			}
			if (frame.startsWith("org/apache/")) {
				return TOMCAT;
			}
			return isJdk(frame) ? JDK : OTHER;
		}

	}

}
