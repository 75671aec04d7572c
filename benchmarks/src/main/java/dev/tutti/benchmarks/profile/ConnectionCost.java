package dev.tutti.benchmarks.profile;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints what connections cost the server, by whose code spent it, from the profiles of
 * the {@code connection-cost} mode of {@code run.sh}: an allocation profile, in which
 * every allocation was recorded, and a CPU profile, sampled every so many microseconds.
 * <p>
 * Options, as {@code --name=value}: {@code allocations} (the allocation profile's file),
 * {@code alloc-connections} (the connections it covers), {@code cpu} (the CPU profile's
 * file), {@code cpu-connections}, {@code cpu-interval-us} (the sampling interval) and
 * {@code top} (Tutti's sites to list, 25). Either profile may be left out.
 */
public final class ConnectionCost {

	private ConnectionCost() {
	}

	/**
	 * Print the cost per connection.
	 * @param args the options
	 * @throws IOException if a profile cannot be read
	 */
	public static void main(String[] args) throws IOException {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
			}
			options.put(arg.substring(2, equals), arg.substring(equals + 1));
		}
		int top = Integer.parseInt(options.getOrDefault("top", "25"));
		String allocations = options.get("allocations");
		if (allocations != null) {
			StackProfile profile = read(allocations, true);
			double connections = Double.parseDouble(required(options, "alloc-connections"));
			System.out.println(String.format(Locale.ROOT,
					"ALLOC connections=%.0f total_b=%.0f tutti_b=%.0f tutti_core_b=%.0f tutti_spring_b=%.0f "
							+ "spring_b=%.0f tomcat_b=%.0f jdk_b=%.0f benchmark_b=%.0f other_b=%.0f "
							+ "with_tutti_frame_b=%.0f",
					connections, profile.total() / connections, per(profile, StackProfile.Owner.TUTTI, connections),
					(profile.of(StackProfile.Owner.TUTTI) - profile.tuttiAutoconfigure()) / connections,
					profile.tuttiAutoconfigure() / connections, per(profile, StackProfile.Owner.SPRING, connections),
					per(profile, StackProfile.Owner.TOMCAT, connections),
					per(profile, StackProfile.Owner.JDK, connections),
					per(profile, StackProfile.Owner.BENCHMARK, connections),
					per(profile, StackProfile.Owner.OTHER, connections), profile.underTutti() / connections));
			profile.tuttiSites(top)
				.forEach((site) -> System.out.println(
						String.format(Locale.ROOT, "  %7.1f B  %s", site.getValue() / connections, site.getKey())));
		}
		String cpu = options.get("cpu");
		if (cpu != null) {
			StackProfile profile = read(cpu, false);
			double connections = Double.parseDouble(required(options, "cpu-connections"));
			double micros = Double.parseDouble(required(options, "cpu-interval-us")) / connections;
			long tutti = profile.of(StackProfile.Owner.TUTTI);
			long connectionPath = tutti - profile.tuttiScheduled() - profile.tuttiInKernel();
			System.out.println(String.format(Locale.ROOT,
					"CPU connections=%.0f samples=%d total_us=%.2f tutti_us=%.2f tutti_connection_us=%.2f "
							+ "tutti_spring_us=%.2f tutti_scheduled_us=%.2f tutti_kernel_us=%.2f spring_us=%.2f "
							+ "tomcat_us=%.2f jdk_us=%.2f native_us=%.2f jit_compiler_us=%.2f benchmark_us=%.2f "
							+ "with_tutti_frame_us=%.2f",
					connections, profile.total(), profile.total() * micros, tutti * micros, connectionPath * micros,
					profile.tuttiAutoconfigure() * micros, profile.tuttiScheduled() * micros,
					profile.tuttiInKernel() * micros, profile.of(StackProfile.Owner.SPRING) * micros,
					profile.of(StackProfile.Owner.TOMCAT) * micros, profile.of(StackProfile.Owner.JDK) * micros,
					profile.of(StackProfile.Owner.NATIVE) * micros, profile.compiler() * micros,
					profile.of(StackProfile.Owner.BENCHMARK) * micros, profile.underTutti() * micros));
			profile.tuttiSites(top)
				.forEach((site) -> System.out
					.println(String.format(Locale.ROOT, "  %6.3f us  %s", site.getValue() * micros, site.getKey())));
		}
	}

	private static StackProfile read(String file, boolean allocations) throws IOException {
		StackProfile profile = new StackProfile(allocations);
		try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
			profile.read(reader);
		}
		return profile;
	}

	private static double per(StackProfile profile, StackProfile.Owner owner, double connections) {
		return profile.of(owner) / connections;
	}

	private static String required(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("Missing option --" + name);
		}
		return value;
	}

}
