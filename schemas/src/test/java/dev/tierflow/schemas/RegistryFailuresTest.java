package dev.tierflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.ApiExceptionBuilder;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import org.apache.avro.AvroRuntimeException;
import org.junit.jupiter.api.Test;

class RegistryFailuresTest {

    @Test
    void connectionRefusedTimeoutsAndUnknownHostsAreAnUnreachableRegistry() {
        assertThat(RegistryFailures.isUnreachable(new ConnectException("refused"))).isTrue();
        assertThat(RegistryFailures.isUnreachable(new HttpTimeoutException("timed out"))).isTrue();
        assertThat(RegistryFailures.isUnreachable(new SocketTimeoutException("read timed out"))).isTrue();
        assertThat(RegistryFailures.isUnreachable(new UnknownHostException("registry"))).isTrue();
    }

    @Test
    void theSerdesVertxTimeoutsAndClosedConnectionsAreAnUnreachableRegistry() {
        assertThat(RegistryFailures.isUnreachable(new NoStackTraceTimeoutException("The timeout period of 30000ms has been exceeded")))
                .isTrue();
        assertThat(RegistryFailures.isUnreachable(new HttpClosedException("Connection was closed"))).isTrue();
    }

    @Test
    void aRegistryThatAnswersWithAServerOrAccessErrorIsAnOutage() {
        for (int status : new int[] {500, 502, 503, 504, 401, 403, 408, 429}) {
            assertThat(RegistryFailures.isUnreachable(problem(status))).as("HTTP %d", status).isTrue();
            assertThat(RegistryFailures.isUnreachable(bareAnswer(status))).as("HTTP %d without a problem document", status).isTrue();
        }
        assertThat(RegistryFailures.isUnreachable(bareAnswer(404))).isFalse();
    }

    @Test
    void anUnknownIdOrABadRequestIsTheRecordsFault() {
        assertThat(RegistryFailures.isUnreachable(problem(404))).isFalse();
        assertThat(RegistryFailures.isUnreachable(problem(400))).isFalse();
        assertThat(RegistryFailures.isUnreachable(problem(422))).isFalse();
    }

    private static ProblemDetails problem(int status) {
        ProblemDetails problem = new ProblemDetails();
        problem.setStatus(status);
        return problem;
    }

    private static ApiException bareAnswer(int status) {
        return new ApiExceptionBuilder().withMessage("HTTP " + status).withResponseStatusCode(status).build();
    }

    @Test
    void anUndecodableRecordIsNot() {
        assertThat(RegistryFailures.isUnreachable(new AvroRuntimeException("malformed data"))).isFalse();
        assertThat(RegistryFailures.causedByUnreachableRegistry(new AvroRuntimeException("malformed data",
                new IOException("length is negative")))).isFalse();
    }

    @Test
    void anUnreachableRegistryIsFoundAmongTheCausesButNotTakenForTheWrapper() {
        RuntimeException wrapped = new IllegalStateException("cannot resolve schema",
                new UncheckedIOException(new ConnectException("refused")));

        assertThat(RegistryFailures.causedByUnreachableRegistry(wrapped)).isTrue();
        assertThat(RegistryFailures.isUnreachable(wrapped)).isFalse();
    }
}
