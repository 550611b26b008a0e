package dev.tierflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.rest.client.models.ProblemDetails;
import org.assertj.core.api.InstanceOfAssertFactories;

/** What a deserializer throws for an id the registry does not have, real or in memory alike. */
final class RegistryErrors {

    private RegistryErrors() {
    }

    static void assertContentNotFound(Throwable thrown) {
        assertThat(thrown).hasRootCauseInstanceOf(ProblemDetails.class)
                .extracting(RegistryErrors::rootCause, InstanceOfAssertFactories.type(ProblemDetails.class))
                .satisfies(p -> {
                    assertThat(p.getResponseStatusCode()).isEqualTo(404);
                    assertThat(p.getName()).isEqualTo("ContentNotFoundException");
                });
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
