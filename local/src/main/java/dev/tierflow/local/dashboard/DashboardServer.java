package dev.tierflow.local.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.tierflow.config.http.BearerTokenFilter;
import dev.tierflow.config.http.HttpBinding;
import dev.tierflow.policy.RoutingPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard over HTTP: the page ({@code /}, {@code /app.js}, {@code /style.css}), Chart.js from its
 * WebJar ({@code /webjars/...}), the model as JSON ({@code /api/snapshot}) and {@code /health} (200 while
 * the topics are being read). The page polls the snapshot; see local/DASHBOARD.md.
 *
 * <p>It listens where its {@link HttpBinding} says: the loopback address unless told otherwise, since the
 * snapshot shows tenants, roles and spend. With a token, {@code /api/snapshot} and {@code /health} answer 401
 * without {@code Authorization: Bearer <token>}; the static page and scripts hold no data and load without
 * it, and the page sends the token it finds in its URL's fragment ({@code /#token=...}).
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final String WEBJARS = "/webjars/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final DashboardData data;
    private final HttpBinding binding;

    private DashboardServer(HttpServer server, ExecutorService executor, DashboardData data, HttpBinding binding) {
        this.binding = binding;
        this.server = server;
        this.executor = executor;
        this.data = data;
    }

    /**
     * Starts reading the topics and serving the page.
     *
     * @param binding where to listen (port 0 for a free one) and the optional bearer token
     */
    public static DashboardServer start(HttpBinding binding, String bootstrapServers, String registryUrl, RoutingPolicy policy) {
        DashboardData data = DashboardData.start(bootstrapServers, registryUrl, policy);
        try {
            return serve(binding, data);
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /** Serves a model fed elsewhere; the server closes it. */
    static DashboardServer serve(HttpBinding binding, DashboardData data) {
        ObjectMapper json = new ObjectMapper();
        ClasspathResources resources = new ClasspathResources();
        HttpServer server;
        try {
            server = HttpServer.create(binding.address(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the dashboard on " + binding.host() + ":" + binding.port() + ": " + e.getMessage(), e);
        }
        BearerTokenFilter auth = new BearerTokenFilter(binding);
        server.createContext("/", handler(exchange -> {
            String path = exchange.getRequestURI().getPath();
            ClasspathResources.Resource page = resources.page(path.equals("/") ? "index.html" : path.substring(1));
            respond(exchange, page);
        }));
        server.createContext(WEBJARS, handler(exchange ->
                respond(exchange, resources.webJar(exchange.getRequestURI().getPath().substring(WEBJARS.length())))));
        server.createContext("/api/snapshot", handler(exchange -> {
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            respond(exchange, 200, "application/json", json.writeValueAsBytes(data.snapshot()));
        })).getFilters().add(auth);
        server.createContext("/health", handler(exchange -> {
            String outage = data.registryOutage();
            String health = !data.feeding() ? "DOWN: not reading the topics" : outage != null ? "DOWN: " + outage + "; retrying" : "UP";
            respond(exchange, health.equals("UP") ? 200 : 503, "text/plain; charset=utf-8", health.getBytes(StandardCharsets.UTF_8));
        })).getFilters().add(auth);
        // a few threads: a browser loads the page, the script and Chart.js at once while the feed keeps the lock briefly
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "tierflow-dashboard-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new DashboardServer(server, executor, data, binding);
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** GET only, and an error answered as a 500 with its message rather than a dropped connection. */
    private static HttpHandler handler(Handler handler) {
        return exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    respond(exchange, 405, "text/plain; charset=utf-8", "GET only".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                handler.handle(exchange);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Dashboard request {} failed: {}", exchange.getRequestURI(), e.toString());
                try {
                    respond(exchange, 500, "text/plain; charset=utf-8", e.toString().getBytes(StandardCharsets.UTF_8));
                } catch (IOException | RuntimeException ignored) {
                    // the response had started: the client sees a cut connection
                }
            }
        };
    }

    private static void respond(HttpExchange exchange, ClasspathResources.Resource resource) throws IOException {
        if (resource == null) {
            respond(exchange, 404, "text/plain; charset=utf-8",
                    ("not found: " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8));
        } else {
            respond(exchange, 200, resource.contentType(), resource.body());
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The page's URL: the bound host, or localhost when bound to every address. */
    public String url() {
        String host = server.getAddress().getAddress().isAnyLocalAddress() ? "localhost" : server.getAddress().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    /** The URL to open in a browser: {@link #url()}, with the token in the fragment when there is one. */
    public String browserUrl() {
        return binding.token() == null ? url() : url() + "#token=" + binding.token();
    }

    /** The model behind the page, e.g. for a command that also prints numbers. */
    public DashboardData data() {
        return data;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        data.close();
    }
}
