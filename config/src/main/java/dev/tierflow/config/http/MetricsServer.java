package dev.tierflow.config.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Serves {@code /metrics} in the Prometheus text format and {@code /health} (200 {@code UP} while the app
 * can do its work, 503 {@code DOWN} otherwise), on the address and with the token of an {@link HttpBinding}.
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** @param scrape the Prometheus text, e.g. {@code PrometheusMeterRegistry::scrape} */
    public static MetricsServer start(HttpBinding binding, Supplier<String> scrape, BooleanSupplier healthy) {
        try {
            HttpServer server = HttpServer.create(binding.address(), 0);
            BearerTokenFilter auth = new BearerTokenFilter(binding);
            server.createContext("/metrics", exchange -> {
                byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                respond(exchange, 200, body);
            }).getFilters().add(auth);
            server.createContext("/health", exchange -> {
                boolean ok = healthy.getAsBoolean();
                respond(exchange, ok ? 200 : 503, (ok ? "UP" : "DOWN").getBytes(StandardCharsets.UTF_8));
            }).getFilters().add(auth);
            server.start();
            return new MetricsServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + binding + ": " + e.getMessage(), e);
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getHostString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
