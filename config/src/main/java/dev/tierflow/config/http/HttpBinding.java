package dev.tierflow.config.http;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * Where an operational HTTP endpoint (metrics, health, the dashboard) listens and who may read it. The
 * default host is the loopback address: metrics and the dashboard show tenants, roles and spend, so they
 * are reachable from other machines only when a person binds them there ({@code --http-host 0.0.0.0}),
 * and then preferably with a bearer token.
 *
 * @param host  the address to bind; {@link #LOOPBACK} unless set
 * @param port  the port; 0 for any free one
 * @param token when set, every request must carry {@code Authorization: Bearer <token>}
 */
public record HttpBinding(String host, int port, String token) {

    public static final String LOOPBACK = "127.0.0.1";

    public HttpBinding {
        if (host == null || host.isBlank()) {
            host = LOOPBACK;
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
    }

    /** Loopback only, no token. */
    public static HttpBinding loopback(int port) {
        return new HttpBinding(LOOPBACK, port, null);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /** Whether an {@code Authorization} header value admits the request; compared in constant time. */
    public boolean admits(String authorizationHeader) {
        if (token == null) {
            return true;
        }
        if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorizationHeader.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "HttpBinding[" + host + ":" + port + (token == null ? "" : ", bearer token") + "]";
    }
}
