package dev.tierflow.worker.simulator;

/**
 * How many output tokens a tier's model wants to write, as a fraction of the task's budget
 * ({@code maxOutputTokens}), normally distributed. A draw above 1.0 exhausts the budget.
 *
 * @param mean the mean fraction of the budget
 * @param spread the standard deviation of the fraction
 */
public record OutputTokensProfile(double mean, double spread) {

    /** The tokens the model would write if the budget did not stop it: at least one. */
    long draw(double standardNormal, int maxOutputTokens) {
        double fraction = Math.max(0.0, mean + spread * standardNormal);
        return Math.max(1L, Math.round(fraction * maxOutputTokens));
    }
}
