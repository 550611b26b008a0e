package dev.tierflow.worker.simulator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tierflow.schemas.OutputContract;

/**
 * The test's own reading of an output contract, independent of the worker's check package: maximum length,
 * and for JSON contracts a single JSON object holding every required field. Regexes are not checked (the
 * simulator does not promise to satisfy them) and neither are JSON Schemas (tests validate those directly).
 */
final class SimpleContractCheck {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SimpleContractCheck() {
    }

    static boolean passes(String text, OutputContract contract) {
        if (contract == null) {
            return true;
        }
        if (contract.getMaxLength() != null && text.length() > contract.getMaxLength()) {
            return false;
        }
        if (contract.getRequiredFields().isEmpty() && contract.getJsonSchema() == null) {
            return true;
        }
        JsonNode parsed = parse(text);
        return parsed != null && parsed.isObject() && contract.getRequiredFields().stream().allMatch(parsed::has);
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }
}
