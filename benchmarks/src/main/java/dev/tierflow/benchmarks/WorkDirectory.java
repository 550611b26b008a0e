package dev.tierflow.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The directory a bench keeps broker data and child logs in. */
final class WorkDirectory {

    private WorkDirectory() {
    }

    /** The requested directory (created if missing), or a new temporary one. */
    static Path create(Path requested, String tempPrefix) throws IOException {
        return requested != null ? Files.createDirectories(requested) : Files.createTempDirectory(tempPrefix);
    }

    /** Deletes the directory, or says where it is kept. */
    static void release(Path work, boolean delete) {
        if (delete) {
            deleteRecursively(work);
        } else {
            System.out.println("kept " + work);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete " + dir + ": " + e);
        }
    }
}
