package dev.tierflow.worker.backend.llm;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP transport under the LangChain4j chat models, plugged in through LangChain4j's {@link HttpClientBuilder}
 * SPI: LangChain4j still builds every request (URL, headers, JSON body) and parses every answer; this only moves the
 * bytes, like LangChain4j's own {@code JdkHttpClient}, with two differences:
 * <ul>
 *   <li>a non-2xx answer throws a {@link ProviderHttpException} that keeps {@code retry-after} and
 *       {@code retry-after-ms} (LangChain4j's {@code HttpException} carries only the status and body);</li>
 *   <li>the read timeout bounds the whole exchange, body included (the JDK's request timeout stops at the headers),
 *       and an exchange past it is cancelled.</li>
 * </ul>
 * Plain-http servers (local ones) are spoken to in HTTP/1.1, https ones in HTTP/2 where they offer it.
 * Streaming is not supported: the backends make blocking calls only.
 */
final class RetryAfterAwareHttpClient implements HttpClient {

    private final java.net.http.HttpClient http;
    private final Duration timeout;

    private RetryAfterAwareHttpClient(Builder builder) {
        java.net.http.HttpClient.Builder http = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL);
        if (builder.connectTimeout != null) {
            http.connectTimeout(builder.connectTimeout);
        }
        this.http = http.build();
        this.timeout = builder.readTimeout;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            throw new IllegalArgumentException("multipart requests are not supported by this transport");
        }
        URI uri = URI.create(request.url());
        java.net.http.HttpRequest.Builder jdk = java.net.http.HttpRequest.newBuilder(uri);
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            // no h2c upgrade dance with local model servers (uvicorn behind vLLM warns on every request)
            jdk.version(java.net.http.HttpClient.Version.HTTP_1_1);
        }
        request.headers().forEach((name, values) -> {
            if (values != null) {
                values.forEach(value -> jdk.header(name, value));
            }
        });
        jdk.method(request.method().name(), request.body() == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
        if (timeout != null) {
            jdk.timeout(timeout);
        }

        HttpResponse<byte[]> response = await(http.sendAsync(jdk.build(), HttpResponse.BodyHandlers.ofByteArray()));
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new ProviderHttpException(status, new String(response.body(), StandardCharsets.UTF_8),
                    response.headers().firstValue("retry-after").orElse(null),
                    response.headers().firstValue("retry-after-ms").orElse(null));
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(status)
                .headers(response.headers().map())
                .body(response.body())
                .build();
    }

    private HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> exchange) {
        try {
            return timeout == null ? exchange.get() : exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            exchange.cancel(true);
            throw new TimeoutException("no complete answer within " + timeout, e);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the model", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new TimeoutException("no answer within " + timeout, cause);
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage() == null ? io.toString() : io.getMessage(), io);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("streaming is not supported: TierFlow's backends make blocking calls");
    }

    /** What the LangChain4j model builders are given; they set both timeouts from their {@code timeout}. */
    static final class Builder implements HttpClientBuilder {

        private Duration connectTimeout;
        private Duration readTimeout;

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public RetryAfterAwareHttpClient build() {
            return new RetryAfterAwareHttpClient(this);
        }
    }
}
