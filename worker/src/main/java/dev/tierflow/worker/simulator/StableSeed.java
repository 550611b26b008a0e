package dev.tierflow.worker.simulator;

import java.nio.charset.StandardCharsets;

/**
 * A seed computed from a request's identity only, so a simulated call's random draws do not depend on the
 * thread, the call order or the JVM run. FNV-1a over the parts (each string length-prefixed, so
 * ("ab","c") and ("a","bc") differ), finished with SplitMix64's mixer to spread FNV's weak low bits.
 */
final class StableSeed {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private StableSeed() {
    }

    static long of(long globalSeed, String taskId, int attempt, String tier) {
        long hash = FNV_OFFSET;
        hash = mixLong(hash, globalSeed);
        hash = mixString(hash, taskId);
        hash = mixLong(hash, attempt);
        hash = mixString(hash, tier);
        return finish(hash);
    }

    private static long mixString(long hash, String value) {
        byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
        hash = mixLong(hash, value == null ? -1 : bytes.length);
        for (byte b : bytes) {
            hash = (hash ^ (b & 0xff)) * FNV_PRIME;
        }
        return hash;
    }

    private static long mixLong(long hash, long value) {
        for (int shift = 0; shift < 64; shift += 8) {
            hash = (hash ^ ((value >>> shift) & 0xff)) * FNV_PRIME;
        }
        return hash;
    }

    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
