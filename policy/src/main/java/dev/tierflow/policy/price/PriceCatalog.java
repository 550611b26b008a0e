package dev.tierflow.policy.price;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What each model costs, read from a versioned YAML file (see {@code examples/prices.yaml}), and the
 * cost of a call in integer micro-dollars. Immutable, safe to share between threads, and serializable, so
 * a Flink job ships it to its task managers as it is.
 *
 * <p>Model names match exactly (case-sensitive), the way the policy file names them.
 */
public final class PriceCatalog implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String version;
    private final Map<String, ModelPrice> prices;

    PriceCatalog(String source, String version, Map<String, ModelPrice> prices) {
        this.source = source;
        this.version = version;
        this.prices = Map.copyOf(prices);
    }

    /**
     * Reads and validates a price catalog file.
     *
     * @throws InvalidPriceCatalogException naming every problem of the file
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    public static PriceCatalog load(Path file) {
        return PriceCatalogReader.load(file);
    }

    /**
     * Parses and validates price catalog YAML; {@code source} names it in error messages.
     *
     * @throws InvalidPriceCatalogException naming every problem of the YAML
     */
    public static PriceCatalog parse(String yaml, String source) {
        return PriceCatalogReader.parse(yaml, source);
    }

    /** The catalog's {@code version}, to tell which prices a cost was computed with. */
    public String version() {
        return version;
    }

    /** The models the catalog has a price for. */
    public Set<String> models() {
        return prices.keySet();
    }

    public boolean knows(String model) {
        // an immutable map refuses to look up null; a null model simply has no price
        return model != null && prices.containsKey(model);
    }

    /** @throws UnknownModelException if the catalog has no price for {@code model} */
    public ModelPrice price(String model) {
        ModelPrice price = knows(model) ? prices.get(model) : null;
        if (price == null) {
            throw new UnknownModelException("no price for model '" + model + "' in price catalog " + describe(), List.of(String.valueOf(model)));
        }
        return price;
    }

    /**
     * Refuses a policy that uses models without a price, so a worker fails at startup instead of on its
     * first task. Call it with every model the policy names (tiers, pins, fallbacks).
     *
     * @throws UnknownModelException listing every model without a price
     */
    public void requireModels(Collection<String> models) {
        Set<String> missing = new LinkedHashSet<>();
        for (String model : models) {
            if (!knows(model)) {
                missing.add(String.valueOf(model));
            }
        }
        if (!missing.isEmpty()) {
            throw new UnknownModelException("price catalog " + describe() + " has no price for "
                    + String.join(", ", missing) + ", used by the policy; add "
                    + (missing.size() == 1 ? "it" : "them") + " to the catalog (it prices "
                    + prices.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")",
                    List.copyOf(missing));
        }
    }

    /**
     * The cost of one call in whole micro-dollars: see {@link ModelPrice#costMicros(long, long, long)}
     * for which tokens are billed at which price and how the result is rounded (once, half-even).
     *
     * @param cachedInputTokens the part of {@code inputTokens} served from the provider's prompt cache
     * @throws UnknownModelException if the catalog has no price for {@code model}
     * @throws IllegalArgumentException if a count is negative or the cached tokens exceed the input tokens
     */
    public long costMicros(String model, long inputTokens, long outputTokens, long cachedInputTokens) {
        return price(model).costMicros(inputTokens, outputTokens, cachedInputTokens);
    }

    private String describe() {
        return source + " (version " + version + ")";
    }

    @Override
    public String toString() {
        return "PriceCatalog[" + describe() + ", " + prices.size() + " models]";
    }
}
