package dev.tierflow.policy.price;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.tierflow.config.YamlFiles;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the price catalog YAML and validates it. A file with any problem is refused as a whole, with
 * every problem named by its field path, so a person can fix them all in one go.
 */
final class PriceCatalogReader {

    /** Costs are recorded in micro-dollars, so a catalog in another currency would be silently wrong. */
    static final String CURRENCY = "USD";

    private PriceCatalogReader() {
    }

    static PriceCatalog load(Path file) {
        return parse(YamlFiles.read(file, "price catalog"), file.toString());
    }

    static PriceCatalog parse(String yaml, String source) {
        PriceFile file = YamlFiles.parse(yaml, PriceFile.class, problems -> new InvalidPriceCatalogException(source, problems),
                PriceCatalogReader::describe);
        if (file == null) {
            throw new InvalidPriceCatalogException(source, List.of("(file): is empty"));
        }
        return new Validation(source).check(file);
    }

    /** Words for a price file's own shapes; null leaves the generic description. */
    private static String describe(String field, JsonMappingException e) {
        if (e instanceof InvalidFormatException format && BigDecimal.class.equals(format.getTargetType())) {
            return "must be a price in USD per million tokens, was '" + format.getValue() + "'";
        }
        if (e instanceof MismatchedInputException mismatch && PriceFile.Entry.class.equals(mismatch.getTargetType())) {
            return "must be a mapping of prices, e.g. {input: 3.00, output: 15.00, cachedInput: 0.30}";
        }
        if (e instanceof MismatchedInputException mismatch && PriceFile.class.equals(mismatch.getTargetType())) {
            return "must be a mapping with version, currency and models";
        }
        return null;
    }

    /** Collects every problem of one file, then builds the catalog if there were none. */
    private static final class Validation {
        private final String source;
        private final List<String> problems = new ArrayList<>();

        Validation(String source) {
            this.source = source;
        }

        PriceCatalog check(PriceFile file) {
            if (isBlank(file.version())) {
                problem("version", "is required (a string that changes with every edit, e.g. '2026-11-01')");
            }
            if (file.currency() != null && !CURRENCY.equals(file.currency())) {
                problem("currency", "must be " + CURRENCY + " (costs are recorded in micro-dollars), was '" + file.currency() + "'");
            }
            Map<String, ModelPrice> prices = new LinkedHashMap<>();
            if (file.models() == null || file.models().isEmpty()) {
                problem("models", "at least one model is required");
            } else {
                file.models().forEach((model, entry) -> {
                    ModelPrice price = checkModel(model, entry);
                    if (price != null) {
                        prices.put(model, price);
                    }
                });
            }
            if (!problems.isEmpty()) {
                throw new InvalidPriceCatalogException(source, problems);
            }
            return new PriceCatalog(source, file.version(), prices);
        }

        private ModelPrice checkModel(String model, PriceFile.Entry entry) {
            String field = "models." + model;
            if (isBlank(model)) {
                problem("models", "a model name must not be blank");
                return null;
            }
            if (entry == null) {
                problem(field, "needs input and output prices (USD per million tokens)");
                return null;
            }
            BigDecimal input = price(field + ".input", entry.input(), true);
            BigDecimal output = price(field + ".output", entry.output(), true);
            BigDecimal cachedInput = price(field + ".cachedInput", entry.cachedInput(), false);
            if (input == null || output == null || (entry.cachedInput() != null && cachedInput == null)) {
                return null;
            }
            // A provider without prompt caching bills every input token at the input price.
            return new ModelPrice(input, output, cachedInput == null ? input : cachedInput);
        }

        /** The price if it is usable, else null (after naming the problem, when there is one). */
        private BigDecimal price(String field, BigDecimal value, boolean required) {
            if (value == null) {
                if (required) {
                    problem(field, "is required (USD per million tokens)");
                }
                return null;
            }
            if (value.signum() < 0) {
                problem(field, "must not be negative, was " + value.toPlainString());
                return null;
            }
            return value;
        }

        private void problem(String field, String message) {
            problems.add(field + ": " + message);
        }

        private static boolean isBlank(String s) {
            return s == null || s.isBlank();
        }
    }
}
