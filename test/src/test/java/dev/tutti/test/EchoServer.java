package dev.tutti.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.PongMessage;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * An embedded Tomcat with one plain Jakarta WebSocket endpoint at {@code /echo}, no
 * Spring and no hub. The endpoint echoes every message, except text commands:
 * <ul>
 * <li>{@code close <code> <reason>}: close the session with that status</li>
 * <li>{@code ping <n>}: send n pings, then the text {@code pinged}</li>
 * <li>{@code parts <a>|<b>|...}: send the parts as one text message in fragments</li>
 * <li>{@code binary parts}: send {@code [1, 2, 3]} as one binary message in two
 * fragments</li>
 * <li>{@code header <name>}: answer with the handshake header's values</li>
 * <li>{@code query}: answer with the handshake's query string</li>
 * </ul>
 * It refuses handshakes from origins containing {@code evil} with 403, offers the
 * subprotocols {@code v2.tutti} and {@code v1.tutti}, and records the close status of
 * every session and the pongs it receives. Other paths answer 404.
 */
final class EchoServer implements AutoCloseable {

	private static final String HEADERS = "headers";

	private final Tomcat tomcat;

	private final List<CloseReason> closes = new CopyOnWriteArrayList<>();

	private final AtomicInteger pongs = new AtomicInteger();

	private EchoServer(Path baseDir) {
		this.tomcat = new Tomcat();
		this.tomcat.setBaseDir(baseDir.toString());
		this.tomcat.setPort(0);
		Context context = this.tomcat.addContext("", null);
		context.addServletContainerInitializer(new WsSci(), null);
		context.addServletContainerInitializer((classes, servletContext) -> {
			ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
			container.setDefaultMaxTextMessageBufferSize(512 * 1024);
			container.setDefaultMaxBinaryMessageBufferSize(512 * 1024);
			addEndpoint(container);
		}, null);
		Tomcat.addServlet(context, "notFound", new NotFoundServlet());
		context.addServletMappingDecoded("/", "notFound");
		this.tomcat.getConnector();
	}

	/**
	 * Start a server on a free port.
	 * @param baseDir Tomcat's working directory
	 * @return the started server
	 */
	static EchoServer start(Path baseDir) throws LifecycleException {
		EchoServer server = new EchoServer(baseDir);
		server.tomcat.start();
		return server;
	}

	/**
	 * Return the URI of a path on this server.
	 * @param path the path, such as {@code /echo}
	 * @return the {@code ws:} URI
	 */
	URI uri(String path) {
		return URI.create("ws://localhost:" + this.tomcat.getConnector().getLocalPort() + path);
	}

	List<CloseReason> closes() {
		return this.closes;
	}

	int pongs() {
		return this.pongs.get();
	}

	@Override
	public void close() throws LifecycleException {
		this.tomcat.stop();
		this.tomcat.destroy();
	}

	private void addEndpoint(ServerContainer container) {
		ServerEndpointConfig config = ServerEndpointConfig.Builder.create(EchoEndpoint.class, "/echo")
			.subprotocols(List.of("v2.tutti", "v1.tutti"))
			.configurator(new EchoConfigurator())
			.build();
		try {
			container.addEndpoint(config);
		}
		catch (DeploymentException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Creates endpoints that report to this server, refuses evil origins and keeps the
	 * handshake headers for the {@code header} command.
	 */
	private final class EchoConfigurator extends ServerEndpointConfig.Configurator {

		@Override
		public boolean checkOrigin(String originHeaderValue) {
			return originHeaderValue == null || !originHeaderValue.contains("evil");
		}

		@Override
		public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
			config.getUserProperties().put(HEADERS, request.getHeaders());
		}

		@Override
		public <T> T getEndpointInstance(Class<T> endpointClass) {
			return endpointClass.cast(new EchoEndpoint(EchoServer.this));
		}

	}

	/**
	 * The endpoint: one instance per session.
	 */
	static final class EchoEndpoint extends Endpoint {

		private final EchoServer server;

		EchoEndpoint(EchoServer server) {
			this.server = server;
		}

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			RemoteEndpoint.Basic remote = session.getBasicRemote();
			session.addMessageHandler(String.class, (text) -> run(() -> onText(session, config, text)));
			session.addMessageHandler(ByteBuffer.class, (data) -> run(() -> remote.sendBinary(data)));
			session.addMessageHandler(PongMessage.class, (pong) -> this.server.pongs.incrementAndGet());
		}

		@Override
		public void onClose(Session session, CloseReason closeReason) {
			this.server.closes.add(closeReason);
		}

		@Override
		public void onError(Session session, Throwable thr) {
			// A dropped connection ends here before onClose: nothing to do
		}

		private void onText(Session session, EndpointConfig config, String text) throws IOException {
			RemoteEndpoint.Basic remote = session.getBasicRemote();
			String[] command = text.split(" ", 3);
			switch (command[0]) {
				case "close" -> session.close(
						new CloseReason(CloseReason.CloseCodes.getCloseCode(Integer.parseInt(command[1])), command[2]));
				case "ping" -> {
					for (int i = 0; i < Integer.parseInt(command[1]); i++) {
						remote.sendPing(ByteBuffer.wrap(new byte[] { (byte) i }));
					}
					remote.sendText("pinged");
				}
				case "parts" -> {
					String[] parts = text.substring("parts ".length()).split("\\|");
					for (int i = 0; i < parts.length; i++) {
						remote.sendText(parts[i], i == parts.length - 1);
					}
				}
				case "binary" -> {
					remote.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2 }), false);
					remote.sendBinary(ByteBuffer.wrap(new byte[] { 3 }), true);
				}
				case "header" -> {
					@SuppressWarnings("unchecked")
					Map<String, List<String>> headers = (Map<String, List<String>>) config.getUserProperties()
						.get(HEADERS);
					remote.sendText(String.valueOf(headers.get(command[1])));
				}
				case "query" -> remote.sendText(String.valueOf(session.getQueryString()));
				default -> remote.sendText(text);
			}
		}

		private static void run(IoAction action) {
			try {
				action.run();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	@FunctionalInterface
	private interface IoAction {

		void run() throws IOException;

	}

	/**
	 * Answers every plain HTTP request, and every upgrade request for a path without an
	 * endpoint, with 404.
	 */
	private static final class NotFoundServlet extends HttpServlet {

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
		}

	}

}
