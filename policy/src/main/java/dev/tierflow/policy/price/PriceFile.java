package dev.tierflow.policy.price;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The price catalog file as written: a direct mapping of the YAML, before validation.
 * {@link PriceCatalogReader} turns it into a {@link PriceCatalog} or refuses it with every problem named.
 */
record PriceFile(
        @JsonProperty("version") String version,
        @JsonProperty("currency") String currency,
        @JsonProperty("models") Map<String, Entry> models) {

    /** One model's prices in USD per million tokens; null where the file is silent. */
    record Entry(
            @JsonProperty("input") BigDecimal input,
            @JsonProperty("output") BigDecimal output,
            @JsonProperty("cachedInput") BigDecimal cachedInput) {
    }
}
