package dev.tierflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
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
