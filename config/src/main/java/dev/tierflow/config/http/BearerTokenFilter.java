package dev.tierflow.config.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Answers 401 to a request without the binding's bearer token; passes every request when it has none. */
public final class BearerTokenFilter extends Filter {

    private final HttpBinding binding;

    public BearerTokenFilter(HttpBinding binding) {
        this.binding = binding;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (binding.admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
            chain.doFilter(exchange);
            return;
        }
        byte[] body = "missing or wrong bearer token\n".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
        exchange.sendResponseHeaders(401, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public String description() {
        return "bearer token";
    }
}
