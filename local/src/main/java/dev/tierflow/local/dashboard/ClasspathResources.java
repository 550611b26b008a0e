package dev.tierflow.local.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's files from the classpath: its own under {@code dashboard/}, and WebJars' under
 * {@code META-INF/resources/webjars/}. A WebJar path may leave out the version
 * ({@code /webjars/chart.js/dist/chart.umd.min.js}): it is read from the WebJar's Maven properties, so the
 * page does not change when the version in the pom does, and no webjars-locator is needed.
 */
final class ClasspathResources {

    private static final String PAGE_ROOT = "dashboard/";
    private static final String WEBJARS_ROOT = "META-INF/resources/webjars/";
    /** The Maven group of the WebJars the page uses; others are not looked up without a version. */
    private static final String NPM_WEBJARS = "META-INF/maven/org.webjars.npm/";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "map", "application/json; charset=utf-8");

    record Resource(byte[] body, String contentType) {
    }

    private final ClassLoader loader = ClasspathResources.class.getClassLoader();
    private final Map<String, String> webJarVersions = new ConcurrentHashMap<>();

    /** A file of the page ({@code index.html}, {@code app.js}, ...), or null. */
    Resource page(String name) {
        return isSafe(name) ? read(PAGE_ROOT + name) : null;
    }

    /** A WebJar file, {@code <webjar>/<version>/<path>} or {@code <webjar>/<path>}, or null. */
    Resource webJar(String path) {
        if (!isSafe(path)) {
            return null;
        }
        Resource exact = read(WEBJARS_ROOT + path);
        if (exact != null) {
            return exact;
        }
        int slash = path.indexOf('/');
        String version = slash < 0 ? null : webJarVersion(path.substring(0, slash));
        return version == null ? null : read(WEBJARS_ROOT + path.substring(0, slash) + "/" + version + path.substring(slash));
    }

    private String webJarVersion(String webJar) {
        return webJarVersions.computeIfAbsent(webJar, name -> {
            try (InputStream in = loader.getResourceAsStream(NPM_WEBJARS + name + "/pom.properties")) {
                if (in == null) {
                    return null;
                }
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the version of WebJar " + name, e);
            }
        });
    }

    /** Relative paths only, without '..' or '\', so a request cannot climb out of the roots. */
    private static boolean isSafe(String path) {
        return !path.isEmpty() && !path.startsWith("/") && !path.contains("..") && !path.contains("\\");
    }

    private Resource read(String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                return null;
            }
            return new Resource(in.readAllBytes(), contentType(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + name, e);
        }
    }

    private static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
