package dev.tierflow.local.dashboard;

import dev.tierflow.testing.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} run headless, once per page load: it runs the page's scripts for a budget of
 * virtual time (timers fire without waiting in real time, so the 2 s polls happen at once), then dumps
 * the DOM or takes a screenshot. Each run gets a fresh profile directory, so no state carries over.
 */
final class HeadlessChromium {

    private static final long TIMEOUT_SECONDS = 90;
    /** Long enough for Chart.js to load and the page to poll the snapshot a few times. */
    private static final int VIRTUAL_TIME_BUDGET_MS = 8_000;

    private final Path executable;
    private final Path workDir;

    private HeadlessChromium(Path executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
    }

    /** The {@code chromium} on the PATH; skips the test without it, or fails it under {@code CI=true}. */
    static HeadlessChromium required(Path workDir) {
        return new HeadlessChromium(RequiredTool.assumeOrFail("chromium"), workDir);
    }

    /** The page's DOM after its scripts ran. */
    String dumpDom(String url) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "dom-", ".html");
        run(List.of("--dump-dom", url), out);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** A PNG of the page after its scripts ran. */
    void screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars", url),
                Files.createTempFile(workDir, "screenshot-", ".out"));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IllegalStateException("chromium wrote no screenshot at " + png);
        }
    }

    private void run(List<String> arguments, Path stdout) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "profile-");
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=" + VIRTUAL_TIME_BUDGET_MS));
        command.addAll(arguments);
        Path stderr = Files.createTempFile(workDir, "chromium-", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command + "; its log: " + stderr);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("chromium exited with " + process.exitValue() + ": " + command + "; its log:\n"
                    + Files.readString(stderr, StandardCharsets.UTF_8));
        }
    }
}
