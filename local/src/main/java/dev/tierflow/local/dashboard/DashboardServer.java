package dev.tierflow.local.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
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
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final String WEBJARS = "/webjars/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final DashboardData data;

    private DashboardServer(HttpServer server, ExecutorService executor, DashboardData data) {
        this.server = server;
        this.executor = executor;
        this.data = data;
    }

    /**
     * Starts reading the topics and serving the page.
     *
     * @param port 0 for a free port
     */
    public static DashboardServer start(int port, String bootstrapServers, String registryUrl, RoutingPolicy policy) {
        DashboardData data = DashboardData.start(bootstrapServers, registryUrl, policy);
        try {
            return serve(port, data);
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /** Serves a model fed elsewhere; the server closes it. */
    static DashboardServer serve(int port, DashboardData data) {
        ObjectMapper json = new ObjectMapper();
        ClasspathResources resources = new ClasspathResources();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the dashboard on port " + port + ": " + e.getMessage(), e);
        }
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
        }));
        server.createContext("/health", handler(exchange -> {
            boolean ok = data.feeding();
            respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", (ok ? "UP" : "DOWN: not reading the topics").getBytes(StandardCharsets.UTF_8));
        }));
        // a few threads: a browser loads the page, the script and Chart.js at once while the feed keeps the lock briefly
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "tierflow-dashboard-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new DashboardServer(server, executor, data);
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

    public String url() {
        return "http://localhost:" + port() + "/";
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
