package dev.tierflow.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Process and machine figures read from Linux's /proc. */
final class ProcStats {

    static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux x86-64

    private ProcStats() {
    }

    /** 1, 5 and 15 minute load averages of the machine. */
    static String loadAverage() {
        List<String> lines = readLines(Path.of("/proc/loadavg"));
        return lines.isEmpty() ? "?" : String.join(" ", Arrays.asList(lines.get(0).split(" ")).subList(0, 3));
    }

    /** Peak resident set size of a process, in kB (VmHWM). */
    static long peakRssKb(long pid) {
        for (String line : readLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring("VmHWM:".length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no VmHWM in /proc/" + pid + "/status");
    }

    /** User + system CPU time of a process so far, in clock ticks. */
    static long cpuTicks(long pid) {
        String stat = String.join(" ", readLines(Path.of("/proc", String.valueOf(pid), "stat")));
        // Fields after the command name (which may hold spaces); utime and stime are fields 14 and 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
