package dev.tierflow.attribution.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Strings of the few-valued dimensions (role, task type, tenant, tier, model, rule) as the join's input
 * carries them: UTF-8 with a length, read back as one shared {@code String} per distinct value. Every
 * record used to bring its own copies, a third of what the join thread allocated, kept while the record
 * waited; a shared string also keeps its hash code, which the scope lookups downstream reuse.
 *
 * <p>The pool is per thread (a serializer is shared by threads) and bounded: {@link #SLOTS} values, probed
 * a few slots deep; a value that finds no free slot takes over its first one, so many distinct values
 * cost speed, never memory or correctness, and the values in use stay pooled.
 */
public final class DimensionStrings {

    static final int SLOTS = 1024;
    private static final int MAX_PROBES = 8;
    /** Longer values are not pooled: dimensions are names, not text. */
    private static final int MAX_POOLED_BYTES = 256;
    private static final int NULL = 0;

    private static final ThreadLocal<DimensionStrings> PER_THREAD = ThreadLocal.withInitial(DimensionStrings::new);

    private final String[] values = new String[SLOTS];
    private final byte[][] encodings = new byte[SLOTS][];
    private final int[] hashes = new int[SLOTS];
    private byte[] buffer = new byte[64];

    private DimensionStrings() {
    }

    /** This thread's pool. */
    public static DimensionStrings ofThisThread() {
        return PER_THREAD.get();
    }

    /** Writes {@code value} (null allowed): its UTF-8 length + 1 as a variable-length int (0 for null), then its bytes. */
    public static void write(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeVarInt(bytes.length + 1, out);
        out.write(bytes);
    }

    /** Reads a value {@link #write} wrote: the pooled instance of an equal value if there is one. */
    public String read(DataInputView in) throws IOException {
        int lengthPlusOne = readVarInt(in);
        if (lengthPlusOne == NULL) {
            return null;
        }
        int length = lengthPlusOne - 1;
        if (length > MAX_POOLED_BYTES) {
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (buffer.length < length) {
            buffer = new byte[MAX_POOLED_BYTES];
        }
        in.readFully(buffer, 0, length);
        return pooled(length);
    }

    private String pooled(int length) {
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + buffer[i];
        }
        int home = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        int slot = home;
        for (int probe = 0; probe < MAX_PROBES; probe++, slot = (slot + 1) & (SLOTS - 1)) {
            byte[] encoding = encodings[slot];
            if (encoding == null) {
                return pool(slot, hash, length);
            }
            if (hashes[slot] == hash && Arrays.equals(encoding, 0, encoding.length, buffer, 0, length)) {
                return values[slot];
            }
        }
        // no room near its home: the value takes it over, so values in use come back into the pool
        return pool(home, hash, length);
    }

    private String pool(int slot, int hash, int length) {
        String value = new String(buffer, 0, length, StandardCharsets.UTF_8);
        encodings[slot] = Arrays.copyOf(buffer, length);
        hashes[slot] = hash;
        values[slot] = value;
        return value;
    }

    private static void writeVarInt(int value, DataOutputView out) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    private static int readVarInt(DataInputView in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed length: more than five bytes");
    }
}
