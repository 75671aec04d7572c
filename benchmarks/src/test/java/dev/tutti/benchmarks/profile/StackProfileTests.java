package dev.tutti.benchmarks.profile;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link StackProfile}: each stack goes to the innermost frame outside the JDK.
 */
class StackProfileTests {

	private static final String WORKER = "java/lang/Thread.run;org/apache/tomcat/util/threads/TaskThread.run;";

	@Test
	void allocationsGoToTheInnermostFrameOutsideTheJdk() throws IOException {
		StackProfile profile = new StackProfile(true);
		profile.read(new StringReader(
				String.join("\n", WORKER + "dev/tutti/Hub.admit;java/util/HashMap.put;java.util.HashMap$Node_[k] 32 1",
						WORKER + "dev/tutti/Hub.admit;java.lang.String_[k] 24 1",
						WORKER + "dev/tutti/Hub.admit;org/apache/catalina/connector/Request.upgrade;byte[]_[k] 100 2",
						WORKER + "dev/tutti/benchmarks/server/HubStats.describe;byte[]_[k] 48 1",
						"java/lang/Thread.run;java/util/ArrayList.grow;java.lang.Object[]_[k] 16 1", "")));
		assertThat(profile.total()).isEqualTo(220);
		assertThat(profile.of(StackProfile.Owner.TUTTI)).isEqualTo(56);
		assertThat(profile.of(StackProfile.Owner.TOMCAT)).isEqualTo(100);
		assertThat(profile.of(StackProfile.Owner.BENCHMARK)).isEqualTo(48);
		assertThat(profile.of(StackProfile.Owner.JDK)).isEqualTo(16);
		assertThat(profile.underTutti()).isEqualTo(156);
		assertThat(profile.tuttiSites(1))
			.containsExactly(Map.entry("java.util.HashMap$Node <- dev/tutti/Hub.admit", 32L));
	}

	@Test
	void cpuSamplesTellTheKernelAndScheduledTasksApart() throws IOException {
		StackProfile profile = new StackProfile(false);
		profile.read(new StringReader(String.join("\n", WORKER + "dev/tutti/spring/websocket/FrameReader.read 10",
				WORKER + "dev/tutti/spring/websocket/SocketFrameWriter.write;sun/nio/ch/IOUtil.write;__libc_write;"
						+ "tcp_sendmsg_[k] 4",
				"java/lang/Thread.run;" + StackProfile.SCHEDULED_TASK + ";dev/tutti/Heartbeat.tick 3",
				"[C2 CompilerThread0 tid=12];" + StackProfile.COMPILER_THREAD + ";Compile::Compile 7",
				"java/lang/Thread.run;AccessInternal::PostRuntimeDispatch<G1BarrierSet, 594020ul>::barrier 2")));
		assertThat(profile.of(StackProfile.Owner.TUTTI)).isEqualTo(17);
		assertThat(profile.tuttiInKernel()).isEqualTo(4);
		assertThat(profile.tuttiScheduled()).isEqualTo(3);
		assertThat(profile.tuttiAutoconfigure()).isEqualTo(14);
		assertThat(profile.of(StackProfile.Owner.NATIVE)).isEqualTo(7);
		assertThat(profile.compiler()).isEqualTo(7);
		assertThat(profile.of(StackProfile.Owner.JDK)).isEqualTo(2);
		assertThat(profile.tuttiSites(5)).extracting(Map.Entry::getKey)
			.containsExactly("dev/tutti/spring/websocket/FrameReader.read",
					"dev/tutti/spring/websocket/SocketFrameWriter.write", "dev/tutti/Heartbeat.tick");
	}

	@Test
	void aLineWithoutAnAmountIsAnError() {
		assertThatIllegalArgumentException().isThrownBy(() -> new StackProfile(false).read(new StringReader("a;b")))
			.withMessageContaining("a;b");
	}

}
