package dev.tierflow.local.replay;

import dev.tierflow.policy.Tier;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.policy.price.UnknownModelException;
import dev.tierflow.schemas.AgentTask;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelRequest;
import dev.tierflow.worker.backend.ModelResponse;
import dev.tierflow.worker.runtime.ResponseCost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The strategies a routed replay is measured against, computed from the recorded outcomes without the
 * pipeline: every prompt on one tier's model ({@code uniform-frontier}, {@code uniform-small}), and the
 * per-prompt {@code oracle}. Each answer comes from the tier's own {@link dev.tierflow.worker.replay.ReplayModelBackend}
 * and is priced by {@link ResponseCost}, exactly as the tier's worker would answer and price it.
 */
public final class Baselines {

    public static final String UNIFORM_FRONTIER = "uniform-frontier";
    public static final String UNIFORM_SMALL = "uniform-small";
    public static final String ORACLE = "oracle";

    /** One tier's recorded answer to one prompt. */
    record Answer(Tier tier, long costMicros, Double quality) {
    }

    private final ReplayTiers tiers;
    private final PriceCatalog prices;
    private final double successScore;

    public Baselines(ReplayTiers tiers, PriceCatalog prices, double successScore) {
        this.tiers = tiers;
        this.prices = prices;
        this.successScore = successScore;
    }

    /** uniform-frontier (the top tier), uniform-small (the bottom tier) and the oracle, in that order. */
    public List<StrategyResult> all(List<AgentTask> tasks) {
        List<Tier> cheapestFirst = tiers.tiers();
        return List.of(uniform(UNIFORM_FRONTIER, cheapestFirst.get(cheapestFirst.size() - 1), tasks),
                uniform(UNIFORM_SMALL, cheapestFirst.get(0), tasks), oracle(tasks));
    }

    /** Every task answered once by {@code tier}'s model. */
    public StrategyResult uniform(String name, Tier tier, List<AgentTask> tasks) {
        StrategyTally tally = new StrategyTally(name, successScore);
        for (AgentTask task : tasks) {
            answer(task, tier).ifPresentOrElse(a -> tally.answered(tier.name(), a.costMicros(), a.quality()),
                    () -> tally.withoutOutcome(tier.name(), 0));
        }
        return tally.result();
    }

    /**
     * Per prompt, the cheapest tier model whose score reaches the success score; when none does, the cheapest
     * model (a failure). Ties in cost go to the higher score, then to the cheaper tier. A prompt no tier
     * model has an outcome on counts as without outcome.
     */
    public StrategyResult oracle(List<AgentTask> tasks) {
        StrategyTally tally = new StrategyTally(ORACLE, successScore);
        Comparator<Answer> preferred = Comparator.comparingLong(Answer::costMicros)
                .thenComparing(a -> a.quality() == null ? -1 : a.quality(), Comparator.reverseOrder())
                .thenComparingInt(a -> a.tier().rank());
        for (AgentTask task : tasks) {
            List<Answer> answers = new ArrayList<>();
            tiers.tiers().forEach(tier -> answer(task, tier).ifPresent(answers::add));
            List<Answer> succeeding = answers.stream().filter(this::succeeds).toList();
            Optional<Answer> chosen = (succeeding.isEmpty() ? answers : succeeding).stream().min(preferred);
            chosen.ifPresentOrElse(a -> tally.answered(a.tier().name(), a.costMicros(), a.quality()), () -> tally.withoutOutcome(null, 0));
        }
        return tally.result();
    }

    private boolean succeeds(Answer answer) {
        return answer.quality() != null && answer.quality() >= successScore;
    }

    /** What the tier's worker would get and pay for the task; empty when the replay has no outcome for it. */
    Optional<Answer> answer(AgentTask task, Tier tier) {
        ModelRequest request = new ModelRequest(task.getTaskId(), 0, task.getTenant(), task.getRole(), task.getTaskType(), tier.name(),
                tier.provider(), tier.model(), task.getInputText(), task.getInputRef(), task.getInputTokens(), 0, task.getOutputContract());
        try {
            ModelResponse response = tiers.backend(tier).call(request);
            return Optional.of(new Answer(tier, ResponseCost.micros(response, prices), response.quality()));
        } catch (ModelCallException | UnknownModelException e) {
            return Optional.empty(); // the worker's span for it is an ERROR: the same task without an outcome
        }
    }
}
