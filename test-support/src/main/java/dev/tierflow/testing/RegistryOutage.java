package dev.tierflow.testing;

import com.microsoft.kiota.ApiExceptionBuilder;
import io.apicurio.registry.resolver.client.RegistryArtifactReference;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import java.net.ConnectException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A registry that is down for its next {@code n} schema look-ups (or until {@link #end()}), failing each the way the real client
 * fails in an outage, then answers from an {@link InMemoryRegistry}: for tests of readers that must
 * tell an outage from a bad record. Writes (schema registration) always go to the registry behind it.
 */
public final class RegistryOutage implements RegistryClientFacade {

    private final InMemoryRegistry registry;
    private final Supplier<RuntimeException> failure;
    private final AtomicInteger failuresLeft;
    private final AtomicInteger lookups = new AtomicInteger();

    private RegistryOutage(InMemoryRegistry registry, Supplier<RuntimeException> failure, int failures) {
        this.registry = registry;
        this.failure = failure;
        this.failuresLeft = new AtomicInteger(failures);
    }

    /** Down for {@code failures} look-ups, failing in turn each way (connection refused, Vert.x time-out, 503), then up. */
    public static RegistryOutage everyWay(InMemoryRegistry registry, int failures) {
        List<Supplier<RuntimeException>> ways = List.of(RegistryOutage::refused, RegistryOutage::timeout, RegistryOutage::serviceUnavailable);
        AtomicInteger next = new AtomicInteger();
        return new RegistryOutage(registry, () -> ways.get(next.getAndIncrement() % ways.size()).get(), failures);
    }

    /** The registry goes down until {@link #end()}: every look-up fails as the outage's first one did. */
    public void begin() {
        failuresLeft.set(Integer.MAX_VALUE);
    }

    /** The registry is back: the next look-ups answer. */
    public void end() {
        failuresLeft.set(0);
    }

    /** Up until {@link #begin()}, then refusing connections until {@link #end()}. */
    public static RegistryOutage switchable() {
        return connectionRefused(new InMemoryRegistry(), 0);
    }

    /** Refuses connections, as a registry that is not running. */
    public static RegistryOutage connectionRefused(InMemoryRegistry registry, int failures) {
        return new RegistryOutage(registry, RegistryOutage::refused, failures);
    }

    /** Answers nothing in time: the Vert.x client's time-out. */
    public static RegistryOutage timingOut(InMemoryRegistry registry, int failures) {
        return new RegistryOutage(registry, RegistryOutage::timeout, failures);
    }

    /** Answers 503 with the registry's problem document. */
    public static RegistryOutage unavailable(InMemoryRegistry registry, int failures) {
        return new RegistryOutage(registry, RegistryOutage::serviceUnavailable, failures);
    }

    private static RuntimeException refused() {
        return new IllegalStateException(new ConnectException("Connection refused: localhost/127.0.0.1:8080"));
    }

    /** Vert.x's time-out is a checked exception: the client rethrows it wrapped. */
    private static RuntimeException timeout() {
        return new IllegalStateException(new NoStackTraceTimeoutException("The timeout period of 30000ms has been exceeded while executing GET"));
    }

    private static RuntimeException serviceUnavailable() {
        ProblemDetails details = new ProblemDetails();
        details.setStatus(503);
        details.setName("ServiceUnavailable");
        details.setTitle("Service Unavailable");
        return new ApiExceptionBuilder(() -> details).withResponseStatusCode(503).build();
    }

    /** Look-ups so far, the failed ones included. */
    public int lookups() {
        return lookups.get();
    }

    /** Look-ups still to fail. */
    public int failuresLeft() {
        return Math.max(0, failuresLeft.get());
    }

    private void lookup() {
        lookups.incrementAndGet();
        if (failuresLeft.getAndDecrement() > 0) {
            throw failure.get();
        }
    }

    @Override
    public String getSchemaByContentId(Long contentId) {
        lookup();
        return registry.getSchemaByContentId(contentId);
    }

    @Override
    public String getSchemaByGlobalId(long globalId, boolean dereferenced) {
        lookup();
        return registry.getSchemaByGlobalId(globalId, dereferenced);
    }

    @Override
    public String getSchemaByGAV(String groupId, String artifactId, String version) {
        lookup();
        return registry.getSchemaByGAV(groupId, artifactId, version);
    }

    @Override
    public String getSchemaByContentHash(String contentHash) {
        lookup();
        return registry.getSchemaByContentHash(contentHash);
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentId(long contentId) {
        lookup();
        return registry.getReferencesByContentId(contentId);
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGlobalId(long globalId) {
        lookup();
        return registry.getReferencesByGlobalId(globalId);
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGAV(String groupId, String artifactId, String version) {
        lookup();
        return registry.getReferencesByGAV(groupId, artifactId, version);
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentHash(String contentHash) {
        lookup();
        return registry.getReferencesByContentHash(contentHash);
    }

    @Override
    public List<RegistryVersionCoordinates> searchVersionsByContent(String schema, String artifactType, ArtifactReference reference,
                                                                    boolean canonical) {
        lookup();
        return registry.searchVersionsByContent(schema, artifactType, reference, canonical);
    }

    @Override
    public RegistryVersionCoordinates createSchema(String artifactType, String groupId, String artifactId, String version, String ifExists,
                                                   boolean canonical, String schema, Set<RegistryArtifactReference> references) {
        return registry.createSchema(artifactType, groupId, artifactId, version, ifExists, canonical, schema, references);
    }

    @Override
    public RegistryVersionCoordinates getVersionCoordinatesByGAV(String groupId, String artifactId, String version) {
        lookup();
        return registry.getVersionCoordinatesByGAV(groupId, artifactId, version);
    }

    @Override
    public Object getClient() {
        return this;
    }

}
