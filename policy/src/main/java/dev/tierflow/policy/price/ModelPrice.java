package dev.tierflow.policy.price;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * One model's prices in USD per million tokens.
 *
 * <p>USD per million tokens is the same number as micro-dollars per token (both scale by 10^6), so a
 * cost in micro-dollars is simply tokens × price, with no unit conversion to round along the way.
 *
 * @param input price of an input token that was not served from the prompt cache
 * @param output price of an output token
 * @param cachedInput price of an input token read from the provider's prompt cache
 */
public record ModelPrice(BigDecimal input, BigDecimal output, BigDecimal cachedInput) implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public ModelPrice {
        requireNonNegative("input", input);
        requireNonNegative("output", output);
        requireNonNegative("cachedInput", cachedInput);
    }

    /**
     * The cost of one call in whole micro-dollars (1 USD = 1,000,000).
     *
     * <p>{@code cachedInputTokens} are the part of {@code inputTokens} that the provider served from its
     * prompt cache: they are billed at {@link #cachedInput()}, the other {@code inputTokens -
     * cachedInputTokens} at {@link #input()}, and {@code outputTokens} at {@link #output()}. The sum is
     * computed exactly and rounded once, at the end, to a whole micro-dollar with
     * {@link RoundingMode#HALF_EVEN} (a half goes to the even neighbour: 0.5 → 0, 1.5 → 2, 2.5 → 2), so
     * rounding has no bias up or down when spans are summed.
     *
     * @throws IllegalArgumentException if a count is negative or the cached tokens exceed the input tokens
     * @throws ArithmeticException if the cost does not fit in a long (more than 9.2 trillion dollars)
     */
    public long costMicros(long inputTokens, long outputTokens, long cachedInputTokens) {
        requireNonNegative("inputTokens", inputTokens);
        requireNonNegative("outputTokens", outputTokens);
        requireNonNegative("cachedInputTokens", cachedInputTokens);
        if (cachedInputTokens > inputTokens) {
            throw new IllegalArgumentException("cachedInputTokens are part of inputTokens and cannot exceed them, were "
                    + cachedInputTokens + " cached of " + inputTokens + " input");
        }
        BigDecimal exact = input.multiply(BigDecimal.valueOf(inputTokens - cachedInputTokens))
                .add(cachedInput.multiply(BigDecimal.valueOf(cachedInputTokens)))
                .add(output.multiply(BigDecimal.valueOf(outputTokens)));
        return exact.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    private static void requireNonNegative(String name, BigDecimal price) {
        Objects.requireNonNull(price, name);
        if (price.signum() < 0) {
            throw new IllegalArgumentException(name + " price must not be negative, was " + price.toPlainString());
        }
    }

    private static void requireNonNegative(String name, long count) {
        if (count < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + count);
        }
    }
}
