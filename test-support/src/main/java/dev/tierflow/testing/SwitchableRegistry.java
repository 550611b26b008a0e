package dev.tierflow.testing;

import io.apicurio.registry.resolver.client.RegistryArtifactReference;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import java.net.ConnectException;
import java.util.List;
import java.util.Set;

/**
 * An {@link InMemoryRegistry} that can be taken down and brought back, for unit tests of registry outages:
 * while down every call fails the way an unreachable server does (a {@link ConnectException} under the
 * client's own exception), so readers must tell it from a bad record.
 */
public final class SwitchableRegistry implements RegistryClientFacade {

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private volatile boolean down;

    public void goDown() {
        down = true;
    }

    public void comeBack() {
        down = false;
    }

    /** How many calls failed because the registry was down. */
    private volatile int refused;

    public int refusedCalls() {
        return refused;
    }

    private void check() {
        if (down) {
            refused++;
            throw new IllegalStateException("registry call failed", new ConnectException("Connection refused: 127.0.0.1:1"));
        }
    }

    @Override
    public String getSchemaByContentId(Long contentId) {
        check();
        return registry.getSchemaByContentId(contentId);
    }

    @Override
    public String getSchemaByGlobalId(long globalId, boolean dereferenced) {
        check();
        return registry.getSchemaByGlobalId(globalId, dereferenced);
    }

    @Override
    public String getSchemaByGAV(String groupId, String artifactId, String version) {
        check();
        return registry.getSchemaByGAV(groupId, artifactId, version);
    }

    @Override
    public String getSchemaByContentHash(String contentHash) {
        check();
        return registry.getSchemaByContentHash(contentHash);
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentId(long contentId) {
        check();
        return registry.getReferencesByContentId(contentId);
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGlobalId(long globalId) {
        check();
        return registry.getReferencesByGlobalId(globalId);
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGAV(String groupId, String artifactId, String version) {
        check();
        return registry.getReferencesByGAV(groupId, artifactId, version);
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentHash(String contentHash) {
        check();
        return registry.getReferencesByContentHash(contentHash);
    }

    @Override
    public List<RegistryVersionCoordinates> searchVersionsByContent(String schema, String artifactType, ArtifactReference reference,
                                                                    boolean canonical) {
        check();
        return registry.searchVersionsByContent(schema, artifactType, reference, canonical);
    }

    @Override
    public RegistryVersionCoordinates createSchema(String artifactType, String groupId, String artifactId, String version, String ifExists,
                                                   boolean canonical, String schema, Set<RegistryArtifactReference> references) {
        check();
        return registry.createSchema(artifactType, groupId, artifactId, version, ifExists, canonical, schema, references);
    }

    @Override
    public RegistryVersionCoordinates getVersionCoordinatesByGAV(String groupId, String artifactId, String version) {
        check();
        return registry.getVersionCoordinatesByGAV(groupId, artifactId, version);
    }

    @Override
    public Object getClient() {
        return this;
    }
}
