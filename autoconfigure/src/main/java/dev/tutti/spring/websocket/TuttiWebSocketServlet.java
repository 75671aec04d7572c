package dev.tutti.spring.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.tutti.Hub;
import dev.tutti.transport.Upgrade;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.HandshakeInterceptorChain;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * A servlet that serves one hub's WebSocket path without Spring MVC's
 * {@code DispatcherServlet} and without Spring's WebSocket session: it runs the handshake
 * interceptors of a {@link WebSocketHttpRequestHandler} over a
 * {@link TuttiWebSocketHandler} (the origin check and the
 * {@link TuttiHandshakeInterceptor} that registers the session with the hub), then
 * upgrades the request. Where Tutti's interceptor for the same hub is the only one, as
 * the starter configures it, the servlet calls it without Spring's interceptor chain and
 * request and response wrappers, with the same outcomes.
 * <p>
 * On Tomcat, unless created with {@code engine} {@code false}, it checks the WebSocket
 * headers itself, before the interceptors, and upgrades the request to Tutti's own
 * protocol engine ({@link TuttiUpgradeHandler}) through the servlet request's HTTP
 * upgrade: no extensions are negotiated, and the connection's frames go from Tomcat's
 * socket to the hub without the container's WebSocket session. Elsewhere it has the
 * servlet container's Jakarta WebSocket {@link ServerContainer} upgrade the request
 * ({@link ServerContainer#upgradeHttpToWebSocket}), which checks the WebSocket headers
 * and negotiates extensions; the connection's events then go straight from the
 * container's endpoint to the hub.
 * <p>
 * Behaves as the request handler does for clients: the interceptors run in the same order
 * with the same outcomes, a refused handshake gets the same status and body, a request
 * that is not a WebSocket upgrade gets 400 (405 for another method than GET). Servlet
 * filters, such as Spring Security's, run before it as they run before the
 * {@code DispatcherServlet}. Map it to exact paths. Thread-safe.
 */
public class TuttiWebSocketServlet extends HttpServlet {

	private static final long serialVersionUID = 1L;

	private final String path;

	private final transient WebSocketHttpRequestHandler handler;

	private final transient Hub hub;

	private final transient FrameBufferNotice notice = new FrameBufferNotice();

	private transient @Nullable ServerContainer container;

	/** Whether to use Tutti's own protocol engine, if the container allows it. */
	private final boolean engineRequested;

	/**
	 * Whether connections use Tutti's own protocol engine; decided in {@link #init()}.
	 */
	private transient boolean engine;

	/**
	 * Create a servlet that serves the given request handler's hub at the given path.
	 * @param path the path the servlet is mapped to
	 * @param handler a request handler whose WebSocket handler is a
	 * {@link TuttiWebSocketHandler} and whose interceptors include a
	 * {@link TuttiHandshakeInterceptor} for the same hub
	 * @throws IllegalArgumentException if the handler does not serve a Tutti hub
	 */
	public TuttiWebSocketServlet(String path, WebSocketHttpRequestHandler handler) {
		this(path, handler, true);
	}

	/**
	 * Create a servlet that serves the given request handler's hub at the given path.
	 * @param path the path the servlet is mapped to
	 * @param handler a request handler whose WebSocket handler is a
	 * {@link TuttiWebSocketHandler} and whose interceptors include a
	 * {@link TuttiHandshakeInterceptor} for the same hub
	 * @param engine whether to serve connections with Tutti's own protocol engine where
	 * the container allows it (Tomcat), rather than with the container's Jakarta
	 * WebSocket implementation
	 * @throws IllegalArgumentException if the handler does not serve a Tutti hub
	 */
	public TuttiWebSocketServlet(String path, WebSocketHttpRequestHandler handler, boolean engine) {
		this.engineRequested = engine;
		this.path = Objects.requireNonNull(path, "path");
		this.handler = Objects.requireNonNull(handler, "handler");
		if (!(WebSocketHandlerDecorator.unwrap(handler.getWebSocketHandler()) instanceof TuttiWebSocketHandler tutti)) {
			throw new IllegalArgumentException("The handler of '" + path + "' does not serve a Tutti hub");
		}
		this.hub = tutti.getHub();
	}

	/**
	 * Decide whether connections use Tutti's own protocol engine, and otherwise find the
	 * container's {@link ServerContainer}.
	 * @throws ServletException if neither is available
	 */
	@Override
	public void init() throws ServletException {
		if (this.engineRequested) {
			this.engine = EngineHandshake.isAvailable(getServletContext(), this.path);
			if (this.engine) {
				return;
			}
		}
		if (!(getServletContext().getAttribute(ServerContainer.class.getName()) instanceof ServerContainer found)) {
			throw new ServletException(
					"The servlet context has no Jakarta WebSocket ServerContainer to serve '" + this.path + "' with");
		}
		this.container = found;
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		if (!"GET".equals(request.getMethod())) {
			response.setHeader("Allow", "GET");
			response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			return;
		}
		if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			response.getOutputStream().write("Can \"Upgrade\" only to \"WebSocket\".".getBytes(StandardCharsets.UTF_8));
			return;
		}
		String key = null;
		if (this.engine) {
			key = EngineHandshake.checkHandshake(request, response);
			if (key == null) {
				return;
			}
		}
		List<HandshakeInterceptor> interceptors = this.handler.getHandshakeInterceptors();
		if (interceptors.size() == 1 && interceptors.get(0) instanceof TuttiHandshakeInterceptor only
				&& only.serves(this.hub)) {
			serve(only, request, response, key);
			return;
		}
		ServletServerHttpRequest serverRequest = new ServletServerHttpRequest(request);
		ServletServerHttpResponse serverResponse = new ServletServerHttpResponse(response);
		WebSocketHandler webSocketHandler = this.handler.getWebSocketHandler();
		HandshakeInterceptorChain chain = new HandshakeInterceptorChain(this.handler.getHandshakeInterceptors(),
				webSocketHandler);
		try {
			Map<String, Object> attributes = new HashMap<>(4);
			if (!chain.applyBeforeHandshake(serverRequest, serverResponse, attributes)) {
				return;
			}
			if (!(attributes.get(TuttiHandshakeInterceptor.UPGRADE_ATTRIBUTE) instanceof Upgrade upgrade)) {
				throw new ServletException(
						"The handshake interceptors of '" + this.path + "' do not include a TuttiHandshakeInterceptor");
			}
			upgrade(request, response, key, upgrade);
			chain.applyAfterHandshake(serverRequest, serverResponse, null);
		}
		catch (Exception ex) {
			chain.applyAfterHandshake(serverRequest, serverResponse, ex);
			if (ex instanceof IOException io) {
				throw io;
			}
			if (ex instanceof ServletException servlet) {
				throw servlet;
			}
			if (ex instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new ServletException("WebSocket handshake of '" + this.path + "' failed", ex);
		}
		finally {
			serverResponse.close();
		}
	}

	/**
	 * Serve a handshake whose only interceptor is Tutti's, without Spring's interceptor
	 * chain: what the chain would do, with the same outcomes.
	 */
	private void serve(TuttiHandshakeInterceptor interceptor, HttpServletRequest request, HttpServletResponse response,
			@Nullable String key) throws ServletException, IOException {
		Upgrade upgrade = interceptor.handshake(request, response);
		if (upgrade == null) {
			return;
		}
		boolean upgraded = false;
		try {
			upgrade(request, response, key, upgrade);
			upgraded = response.getStatus() == HttpServletResponse.SC_SWITCHING_PROTOCOLS;
		}
		finally {
			if (!upgraded) {
				upgrade.abandon();
			}
		}
	}

	/**
	 * Upgrade the request: to Tutti's protocol engine with the key it checked, or through
	 * the container's {@link ServerContainer} ({@code key} {@code null}).
	 */
	private void upgrade(HttpServletRequest request, HttpServletResponse response, @Nullable String key,
			Upgrade upgrade) throws ServletException, IOException {
		if (key != null) {
			EngineHandshake.upgrade(request, response, key, upgrade, this.hub.config().writeTimeout());
			return;
		}
		ServerContainer container = this.container;
		if (container == null) {
			throw new ServletException("Servlet for '" + this.path + "' used before its initialization");
		}
		TuttiEndpoint endpoint = new TuttiEndpoint(upgrade, this.hub.config().writeTimeout(), this.notice,
				request.getLocalAddr(), request.getLocalPort());
		try {
			container.upgradeHttpToWebSocket(request, response, new HandshakeEndpointConfig(this.path, endpoint),
					Map.of());
		}
		catch (DeploymentException ex) {
			throw new ServletException("WebSocket upgrade of '" + this.path + "' failed", ex);
		}
	}

}
