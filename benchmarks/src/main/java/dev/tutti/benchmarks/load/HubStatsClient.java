package dev.tutti.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Tutti shootout server's hub statistics ({@code GET /shootout/hub}): open
 * sessions, room entries, and what ended sessions. Not thread-safe.
 */
final class HubStatsClient {

	private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(\\d+)");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI uri;

	HubStatsClient(InetSocketAddress server) {
		this.uri = URI.create("http://" + server.getHostString() + ":" + server.getPort() + "/shootout/hub");
	}

	/**
	 * Read the statistics.
	 * @throws IOException if the server does not answer with them
	 */
	Stats read() throws IOException {
		HttpRequest request = HttpRequest.newBuilder(this.uri).timeout(Duration.ofSeconds(10)).GET().build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IOException(
						"GET " + this.uri + " answered " + response.statusCode() + ": is this the Tutti server?");
			}
			return new Stats(response.body());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
	}

	/**
	 * The statistics, as the server sent them.
	 *
	 * @param json the JSON object
	 */
	record Stats(String json) {

		long sessions() {
			return number("sessions");
		}

		long roomEntries() {
			return number("roomEntries");
		}

		long rooms() {
			return number("rooms");
		}

		/**
		 * Return the JSON object of one of the counted groups: {@code closes} or
		 * {@code errors}.
		 */
		String group(String name) {
			int start = this.json.indexOf("\"" + name + "\":{");
			if (start < 0) {
				return "{}";
			}
			start = this.json.indexOf('{', start);
			return this.json.substring(start, this.json.indexOf('}', start) + 1);
		}

		/**
		 * Return a count of a group, 0 if it is absent.
		 */
		long count(String group, String key) {
			Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":(\\d+)").matcher(group(group));
			return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
		}

		private long number(String name) {
			Matcher matcher = NUMBER.matcher(this.json);
			while (matcher.find()) {
				if (matcher.group(1).equals(name)) {
					return Long.parseLong(matcher.group(2));
				}
			}
			throw new IllegalStateException("No \"" + name + "\" in " + this.json);
		}

	}

}
