package dev.tierflow.worker.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tierflow.worker.simulator.ExpectedShape.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a simulated output of about the wanted length, shaped by the contract: compliant outputs satisfy it
 * where the simulator can (see {@link ExpectedShape}), non-compliant ones break it in one detectable way.
 * When the contract's own needs (its fields, its maximum length) conflict with the wanted length, the
 * contract wins: the text's length then does not follow the token count.
 */
final class OutputTextWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pads an output that must be too long but has no string field to lengthen. */
    private static final String PADDING_FIELD = "_padding";

    private OutputTextWriter() {
    }

    static String write(ExpectedShape shape, boolean compliant, int wantedChars, double violationRoll,
                        SplittableRandom random) {
        List<Violation> possible = compliant ? List.of() : Violation.possibleFor(shape);
        if (possible.isEmpty()) {
            return fitting(shape, shape.fields(), wantedChars, random);
        }
        Violation violation = possible.get((int) (violationRoll * possible.size()));
        return switch (violation) {
            case MISSING_FIELD -> fitting(shape, withoutOne(shape.fields(), random), wantedChars, random);
            case NOT_JSON -> FillerText.of(random, capped(wantedChars, shape.maxLength()));
            case TOO_LONG -> tooLong(shape, random);
        };
    }

    /** Within the maximum length (when one exists and the fields leave room for it). */
    private static String fitting(ExpectedShape shape, List<Field> fields, int wantedChars, SplittableRandom random) {
        int length = capped(wantedChars, shape.maxLength());
        return shape.json() ? jsonObject(fields, length, random) : FillerText.of(random, length);
    }

    private static String tooLong(ExpectedShape shape, SplittableRandom random) {
        int max = shape.maxLength();
        int length = max + 1 + random.nextInt(Math.max(1, max / 10));
        if (!shape.json()) {
            return FillerText.of(random, length);
        }
        List<Field> fields = shape.fields();
        if (fields.stream().noneMatch(f -> f.type().equals("string"))) {
            fields = new ArrayList<>(fields);
            fields.add(new Field(PADDING_FIELD, "string", null));
        }
        return jsonObject(fields, length, random);
    }

    /**
     * A JSON object with these fields, its string values filled with words so the whole text is
     * {@code length} characters, or as short as the fields allow. Filler words need no escaping, so each
     * character of filler adds exactly one character of JSON.
     */
    private static String jsonObject(List<Field> fields, int length, SplittableRandom random) {
        ObjectNode object = JSON.createObjectNode();
        List<String> stringFields = new ArrayList<>();
        for (Field field : fields) {
            switch (field.type()) {
                case "const" -> object.set(field.name(), field.constant());
                case "integer" -> object.put(field.name(), random.nextInt(1000));
                case "number" -> object.put(field.name(), random.nextInt(100_000) / 100.0);
                case "boolean" -> object.put(field.name(), random.nextBoolean());
                case "array" -> object.putArray(field.name());
                case "object" -> object.putObject(field.name());
                case "null" -> object.putNull(field.name());
                default -> {
                    object.put(field.name(), "");
                    stringFields.add(field.name());
                }
            }
        }
        int room = length - serialize(object).length();
        for (int i = 0; i < stringFields.size() && room > 0; i++) {
            int share = room / (stringFields.size() - i); // the last fields take the remainder
            if (share > 0) {
                object.put(stringFields.get(i), FillerText.of(random, share));
                room -= share;
            }
        }
        return serialize(object);
    }

    private static List<Field> withoutOne(List<Field> fields, SplittableRandom random) {
        List<Field> remaining = new ArrayList<>(fields);
        remaining.remove(random.nextInt(remaining.size()));
        return remaining;
    }

    private static int capped(int wantedChars, Integer maxLength) {
        return maxLength == null ? wantedChars : Math.min(wantedChars, maxLength);
    }

    private static String serialize(ObjectNode object) {
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }
}
