package dev.tierflow.attribution.otlp;

import dev.tierflow.policy.price.ModelPrice;
import dev.tierflow.policy.price.PriceCatalog;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * A price catalog's prices in a form Flink can ship to its task managers: {@link PriceCatalog} and
 * {@link ModelPrice} are not {@link Serializable}, so the three prices of each model travel as plain
 * {@link BigDecimal}s and become {@link ModelPrice}s again on arrival. Costs are still computed by
 * {@link ModelPrice#costMicros(long, long, long)}, so they round exactly as the worker's do.
 */
final class SerializablePrices implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String version;
    /** model → {input, output, cachedInput}, USD per million tokens. */
    private final HashMap<String, BigDecimal[]> table;
    private transient Map<String, ModelPrice> prices;

    private SerializablePrices(String version, HashMap<String, BigDecimal[]> table) {
        this.version = version;
        this.table = table;
        this.prices = toPrices(table);
    }

    static SerializablePrices of(PriceCatalog catalog) {
        HashMap<String, BigDecimal[]> table = new HashMap<>();
        for (String model : catalog.models()) {
            ModelPrice price = catalog.price(model);
            table.put(model, new BigDecimal[] {price.input(), price.output(), price.cachedInput()});
        }
        return new SerializablePrices(catalog.version(), table);
    }

    /** The cost in micro-dollars, or null when the catalog has no price for {@code model}. */
    Long costMicros(String model, long inputTokens, long outputTokens, long cachedInputTokens) {
        ModelPrice price = prices.get(model);
        return price == null ? null : price.costMicros(inputTokens, outputTokens, cachedInputTokens);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        prices = toPrices(table);
    }

    private static Map<String, ModelPrice> toPrices(Map<String, BigDecimal[]> table) {
        Map<String, ModelPrice> prices = new HashMap<>(table.size() * 2);
        table.forEach((model, p) -> prices.put(model, new ModelPrice(p[0], p[1], p[2])));
        return prices;
    }

    @Override
    public String toString() {
        return "SerializablePrices[version " + version + ", " + table.size() + " models]";
    }
}
