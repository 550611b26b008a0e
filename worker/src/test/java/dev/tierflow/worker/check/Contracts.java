package dev.tierflow.worker.check;

import dev.tierflow.schemas.OutputContract;
import java.util.List;

/** Output contracts for tests, each setting one part unless a test combines them. */
final class Contracts {

    private Contracts() {
    }

    static OutputContract maxLength(int maxLength) {
        return OutputContract.newBuilder().setMaxLength(maxLength).build();
    }

    static OutputContract minQuality(double minQuality) {
        return OutputContract.newBuilder().setMinQuality(minQuality).build();
    }

    static OutputContract regex(String regex) {
        return OutputContract.newBuilder().setRegex(regex).build();
    }

    static OutputContract requiredFields(String... fields) {
        return OutputContract.newBuilder().setRequiredFields(List.of(fields)).build();
    }

    static OutputContract jsonSchema(String schema) {
        return OutputContract.newBuilder().setJsonSchema(schema).build();
    }

    static OutputContract.Builder contract() {
        return OutputContract.newBuilder();
    }
}
