package dev.tierflow.testing;

import com.microsoft.kiota.ApiExceptionBuilder;
import io.apicurio.registry.resolver.client.RegistryArtifactReference;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A schema registry in memory for unit tests without a server (e.g. TopologyTestDriver):
 * {@code AvroSerdes.withClient(new InMemoryRegistry())}. Content ids and global ids count from 1 like
 * the real registry's; unknown ids fail with the {@link ProblemDetails} (HTTP 404) the real client throws.
 * Schema references are not supported: TierFlow's records embed their named types.
 */
public final class InMemoryRegistry implements RegistryClientFacade {

    private record Version(long globalId, long contentId, String groupId, String artifactId, String version) {
        RegistryVersionCoordinates coordinates() {
            return RegistryVersionCoordinates.create(globalId, contentId, groupId, artifactId, version);
        }
    }

    private final List<String> contents = new ArrayList<>(); // content id n is at index n - 1
    private final Map<String, Long> contentIds = new HashMap<>();
    private final Map<Long, Version> versionsByGlobalId = new HashMap<>();
    private final Map<String, List<Version>> versionsByArtifact = new LinkedHashMap<>();

    @Override
    public synchronized String getSchemaByContentId(Long contentId) {
        if (contentId == null || contentId < 1 || contentId > contents.size()) {
            throw notFound("ContentNotFoundException", "No content with ID '" + contentId + "' was found.");
        }
        return contents.get((int) (contentId - 1));
    }

    @Override
    public synchronized String getSchemaByGlobalId(long globalId, boolean dereferenced) {
        return getSchemaByContentId(version(globalId).contentId());
    }

    @Override
    public synchronized String getSchemaByGAV(String groupId, String artifactId, String version) {
        return getSchemaByContentId(version(groupId, artifactId, version).contentId());
    }

    @Override
    public synchronized String getSchemaByContentHash(String contentHash) {
        return contents.stream().filter(c -> sha256(c).equals(contentHash)).findFirst().orElseThrow(
                () -> notFound("ContentNotFoundException", "No content with hash '" + contentHash + "' was found."));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentId(long contentId) {
        getSchemaByContentId(contentId);
        return List.of();
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGlobalId(long globalId) {
        version(globalId);
        return List.of();
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGAV(String groupId, String artifactId, String version) {
        version(groupId, artifactId, version);
        return List.of();
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentHash(String contentHash) {
        getSchemaByContentHash(contentHash);
        return List.of();
    }

    @Override
    public synchronized List<RegistryVersionCoordinates> searchVersionsByContent(String schema, String artifactType,
            ArtifactReference reference, boolean canonical) {
        return versionsByArtifact.getOrDefault(key(reference.getGroupId(), reference.getArtifactId()), List.of()).stream()
                .filter(v -> contents.get((int) v.contentId() - 1).equals(schema))
                .sorted(Comparator.comparingLong(Version::globalId).reversed()).map(Version::coordinates).toList();
    }

    /** Registers a schema; {@code ifExists} is FAIL, CREATE_VERSION or FIND_OR_CREATE_VERSION (the serdes' default). */
    @Override
    public synchronized RegistryVersionCoordinates createSchema(String artifactType, String groupId, String artifactId,
            String version, String ifExists, boolean canonical, String schema, Set<RegistryArtifactReference> references) {
        List<Version> versions = versionsByArtifact.computeIfAbsent(key(groupId, artifactId), k -> new ArrayList<>());
        if (!versions.isEmpty() && "FAIL".equals(ifExists)) {
            throw problem(409, "ArtifactAlreadyExistsException",
                    "An artifact with ID '" + artifactId + "' in group '" + groupId + "' already exists.");
        }
        long contentId = contentIds.computeIfAbsent(schema, s -> {
            contents.add(s);
            return (long) contents.size();
        });
        if ("FIND_OR_CREATE_VERSION".equals(ifExists)) {
            for (Version existing : versions) {
                if (existing.contentId() == contentId) {
                    return existing.coordinates();
                }
            }
        }
        Version created = new Version(versionsByGlobalId.size() + 1L, contentId, groupId, artifactId,
                version != null ? version : String.valueOf(versions.size() + 1));
        versions.add(created);
        versionsByGlobalId.put(created.globalId(), created);
        return created.coordinates();
    }

    @Override
    public RegistryVersionCoordinates getVersionCoordinatesByGAV(String groupId, String artifactId, String version) {
        return version(groupId, artifactId, version).coordinates();
    }

    /** There is no HTTP client behind this registry. */
    @Override
    public Object getClient() {
        return this;
    }

    private synchronized Version version(long globalId) {
        Version version = versionsByGlobalId.get(globalId);
        if (version == null) {
            throw notFound("VersionNotFoundException", "No version with global ID '" + globalId + "' found.");
        }
        return version;
    }

    /** A version by name, or the newest for null or "branch=latest" as the serdes ask. */
    private synchronized Version version(String groupId, String artifactId, String version) {
        List<Version> versions = versionsByArtifact.getOrDefault(key(groupId, artifactId), List.of());
        boolean latest = version == null || version.equals("branch=latest");
        return versions.stream().filter(v -> latest || v.version().equals(version)).reduce((a, b) -> latest ? b : a)
                .orElseThrow(() -> notFound("VersionNotFoundException", "No version '" + version
                        + "' found for artifact with ID '" + artifactId + "' in group '" + groupId + "'."));
    }

    private static String key(String groupId, String artifactId) {
        return (groupId == null ? "default" : groupId) + "/" + artifactId;
    }

    private static RuntimeException notFound(String name, String title) {
        return problem(404, name, title);
    }

    /** Built the way the real client's HTTP adapter builds its errors, so callers see the same exception. */
    private static RuntimeException problem(int status, String name, String title) {
        ProblemDetails details = new ProblemDetails();
        details.setStatus(status);
        details.setName(name);
        details.setTitle(title);
        details.setDetail(name + ": " + title);
        return new ApiExceptionBuilder(() -> details).withResponseStatusCode(status).build();
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
