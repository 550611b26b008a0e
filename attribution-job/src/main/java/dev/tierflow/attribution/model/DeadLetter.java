package dev.tierflow.attribution.model;

/** An input record the job could not read, kept whole with where it came from and why (a Flink POJO). */
public class DeadLetter {
    public String topic;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] value;
    /** A {@link dev.tierflow.schemas.DeadLetterReason} name. */
    public String reason;
    public String detail;

    public DeadLetter() {
    }

    public static DeadLetter of(String topic, int partition, long offset, byte[] key, byte[] value, String reason, String detail) {
        DeadLetter letter = new DeadLetter();
        letter.topic = topic;
        letter.partition = partition;
        letter.offset = offset;
        letter.key = key;
        letter.value = value;
        letter.reason = reason;
        letter.detail = detail;
        return letter;
    }

    /** A copy that shares nothing mutable: the key and value bytes are copied too. */
    public DeadLetter copy() {
        return of(topic, partition, offset, key == null ? null : key.clone(), value == null ? null : value.clone(),
                reason, detail);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + topic + "-" + partition + "@" + offset + " " + reason + ": " + detail + "]";
    }
}
