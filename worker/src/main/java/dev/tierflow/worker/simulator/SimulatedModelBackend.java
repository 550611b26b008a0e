package dev.tierflow.worker.simulator;

import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelRequest;
import dev.tierflow.worker.backend.ModelResponse;
import java.util.SplittableRandom;

/**
 * A deterministic stand-in for real models, for the demo, tests and benchmarks. Each tier behaves as its
 * {@link TierProfile} says: latency, how much of the output budget it uses, and a quality that depends on
 * the role and task type. Quality decides, through the {@link ComplianceCurve}, whether the output satisfies
 * the task's output contract, and the text is written accordingly (see {@link ExpectedShape} for the limits).
 *
 * <p>Every random draw comes from a generator seeded by (profile seed, task id, attempt, tier) only, so the
 * same request always gets the same response, whatever the thread, the call order or the backend instance.
 * An escalated attempt, or the same task on another tier, gets fresh draws.
 *
 * <p>Runtime control for exercising the control loop: {@link #degrade}, {@link #restore}, {@link #restoreAll}.
 *
 * <p>The response has no recorded cost: the worker prices its tokens with the price catalog. By default a call
 * returns at once and only reports its simulated latency; with a profile's {@code timeScale} above 0 it also
 * waits latency x timeScale (interruptibly).
 */
public final class SimulatedModelBackend implements ModelBackend {

    /** The usual rule of thumb for English text; used both ways (prompt to tokens, tokens to text). */
    static final int CHARS_PER_TOKEN = 4;
    /** Keeps a huge budget from asking for a gigabyte of filler text. */
    private static final long MAX_TEXT_CHARS = 1L << 20;

    private final SimulatorProfile profile;
    private final Pause pause;
    private final Degradations degradations = new Degradations();

    public SimulatedModelBackend(SimulatorProfile profile) {
        this(profile, Pause.REAL);
    }

    SimulatedModelBackend(SimulatorProfile profile, Pause pause) {
        this.profile = profile;
        this.pause = pause;
    }

    /** The built-in small, mid and frontier tiers with this seed, not waiting. */
    public static SimulatedModelBackend withDefaults(long seed) {
        return new SimulatedModelBackend(SimulatorProfile.defaults().withSeed(seed));
    }

    public SimulatorProfile profile() {
        return profile;
    }

    @Override
    public ModelResponse call(ModelRequest request) throws ModelCallException {
        TierProfile tier = tierOf(request);
        int budget = request.maxOutputTokens();
        if (budget < 1) {
            throw new ModelCallException(ModelCallException.Kind.INVALID_REQUEST,
                    "maxOutputTokens must be at least 1, was " + budget);
        }
        CallDraws draws = CallDraws.from(new SplittableRandom(
                StableSeed.of(profile.seed(), request.taskId(), request.attempt(), request.tier())));

        long latencyMs = Math.max(0, tier.latency().draw(draws.latencyNormal()));
        long wantedTokens = tier.outputTokens().draw(draws.tokensNormal(), budget);
        boolean budgetExhausted = wantedTokens > budget;
        long outputTokens = Math.min(wantedTokens, budget);

        double meanQuality = tier.meanQuality(request.role(), request.taskType())
                - degradations.qualityLost(request.tier(), request.role(), request.taskType());
        double quality = clamp(meanQuality + tier.qualitySpread() * draws.qualityNormal());
        boolean compliant = draws.complianceRoll() < profile.compliance().probability(quality);

        String text = OutputTextWriter.write(ExpectedShape.of(request.contract()), compliant,
                textChars(wantedTokens), draws.violationRoll(), draws.text());
        if (budgetExhausted) {
            text = cutOff(text, budget, wantedTokens);
        }
        long inputTokens = inputTokens(request);
        long cachedInputTokens = Math.round(inputTokens * tier.cachedInputFraction());

        waitOut(latencyMs);
        return new ModelResponse(text, request.model(), request.provider(), null, inputTokens, outputTokens,
                cachedInputTokens, budgetExhausted ? FinishReason.LENGTH : FinishReason.STOP, quality, null, latencyMs);
    }

    /**
     * Lowers the quality of {@code tier}'s calls for a role or a task type ({@code "*"}: all of them) by
     * {@code qualityDelta}, for calls from now on. Replaces an earlier degradation of the same pair; a call
     * matching several pairs (its role, its type, "*") loses their sum.
     *
     * @param qualityDelta the quality taken away, in [0, 1]
     */
    public void degrade(String tier, String roleOrType, double qualityDelta) {
        requireTier(tier);
        if (roleOrType == null || roleOrType.isBlank()) {
            throw new IllegalArgumentException("name a role or task type to degrade, or \"*\" for all");
        }
        if (!(qualityDelta >= 0.0 && qualityDelta <= 1.0)) {
            throw new IllegalArgumentException("qualityDelta is the quality taken away, in [0, 1], was " + qualityDelta);
        }
        degradations.degrade(tier, roleOrType, qualityDelta);
    }

    /** Undoes {@link #degrade} for this pair; calls from now on behave as before it. */
    public void restore(String tier, String roleOrType) {
        degradations.restore(tier, roleOrType);
    }

    public void restoreAll() {
        degradations.restoreAll();
    }

    private TierProfile tierOf(ModelRequest request) throws ModelCallException {
        TierProfile tier = request.tier() == null ? null : profile.tiers().get(request.tier());
        if (tier == null) {
            throw new ModelCallException(ModelCallException.Kind.INVALID_REQUEST, "the simulator has no tier '"
                    + request.tier() + "' (its tiers are " + String.join(", ", profile.tiers().keySet()) + ")");
        }
        return tier;
    }

    private void requireTier(String tier) {
        if (tier == null || !profile.tiers().containsKey(tier)) {
            throw new IllegalArgumentException("the simulator has no tier '" + tier + "' (its tiers are "
                    + String.join(", ", profile.tiers().keySet()) + ")");
        }
    }

    private static int textChars(long tokens) {
        return (int) Math.min(tokens * CHARS_PER_TOKEN, MAX_TEXT_CHARS);
    }

    /** The part of the text the budget let through: the model was cut off mid-answer. */
    private static String cutOff(String text, int budget, long wantedTokens) {
        int kept = (int) (text.length() * (double) budget / wantedTokens);
        return text.substring(0, Math.min(kept, Math.max(0, text.length() - 1)));
    }

    private static long inputTokens(ModelRequest request) {
        if (request.inputTokensHint() > 0 || request.prompt() == null || request.prompt().isEmpty()) {
            return Math.max(0, request.inputTokensHint());
        }
        return (request.prompt().length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }

    private void waitOut(long latencyMs) throws ModelCallException {
        if (profile.timeScale() <= 0.0) {
            return;
        }
        try {
            pause.forMillis(Math.round(latencyMs * profile.timeScale()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the worker is shutting down: let it see why
            throw new ModelCallException(ModelCallException.Kind.PROVIDER_ERROR, "simulated call interrupted", e);
        }
    }

    private static double clamp(double quality) {
        return Math.max(0.0, Math.min(1.0, quality));
    }
}
