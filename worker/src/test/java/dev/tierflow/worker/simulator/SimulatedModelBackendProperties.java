package dev.tierflow.worker.simulator;

import static dev.tierflow.worker.simulator.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.OutputContract;
import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelRequest;
import dev.tierflow.worker.backend.ModelResponse;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** What holds for every simulated call, whatever the task, the budget and the contract. */
class SimulatedModelBackendProperties {

    private static final SimulatedModelBackend DEFAULTS = SimulatedModelBackend.withDefaults(7L);
    /** Short outputs: a compliant draw is never cut off by its budget. */
    private static final TierProfile TERSE = new TierProfile(new LatencyProfile(100, 0.2),
            new OutputTokensProfile(0.3, 0.1), 0.8, 0.1, 0.0, Map.of());

    @Property(tries = 300, seed = "20261123")
    void theBudgetIsNeverExceededAndLengthMeansItRanOut(@ForAll("requests") ModelRequest request) throws ModelCallException {
        ModelResponse response = DEFAULTS.call(request);

        assertThat(response.outputTokens()).isBetween(1L, (long) request.maxOutputTokens());
        if (response.finishReason() == FinishReason.LENGTH) {
            assertThat(response.outputTokens()).isEqualTo(request.maxOutputTokens());
        } else {
            assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        }
        assertThat(response.quality()).isBetween(0.0, 1.0);
        assertThat(response.latencyMs()).isNotNegative();
        assertThat(DEFAULTS.call(request)).as("same request, same response").isEqualTo(response);
    }

    @Property(tries = 300, seed = "20261124")
    void aCompliantDrawPassesAnyContractOfFieldsAndLength(@ForAll("requests") ModelRequest request,
                                                         @ForAll("fieldContracts") OutputContract contract) throws ModelCallException {
        SimulatedModelBackend compliant = backend(ComplianceCurve.constant(1.0));

        String text = compliant.call(Requests.withContract(request, contract)).text();

        assertThat(SimpleContractCheck.passes(text, contract)).as(text).isTrue();
    }

    @Property(tries = 300, seed = "20261125")
    void aNonCompliantDrawFailsAnyContractOfFieldsOrLength(@ForAll("requests") ModelRequest request,
                                                          @ForAll("fieldContracts") OutputContract contract) throws ModelCallException {
        SimulatedModelBackend nonCompliant = backend(ComplianceCurve.constant(0.0));

        String text = nonCompliant.call(Requests.withContract(request, contract)).text();

        assertThat(SimpleContractCheck.passes(text, contract)).as(text).isFalse();
    }

    @Property(tries = 100, seed = "20261126")
    void moreDegradationNeverRaisesQuality(@ForAll("requests") ModelRequest request,
                                           @ForAll @IntRange(min = 0, max = 100) int percent) throws ModelCallException {
        SimulatedModelBackend backend = SimulatedModelBackend.withDefaults(7L);
        double healthy = backend.call(request).quality();

        backend.degrade(request.tier(), request.taskType(), percent / 100.0);

        assertThat(backend.call(request).quality()).isLessThanOrEqualTo(healthy);
    }

    private static SimulatedModelBackend backend(ComplianceCurve compliance) {
        SimulatorProfile profile = SimulatorProfile.defaults().withCompliance(compliance);
        for (String tier : List.of("small", "mid", "frontier")) {
            profile = profile.withTier(tier, TERSE);
        }
        return new SimulatedModelBackend(profile);
    }

    @Provide
    Arbitrary<ModelRequest> requests() {
        return Combinators.combine(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(20),
                Arbitraries.integers().between(0, 3),
                Arbitraries.of("small", "mid", "frontier"),
                Arbitraries.of("planner", "worker", "file-ops", "critic"),
                Arbitraries.of("plan", "extract", "format", "review", "summarize"),
                Arbitraries.integers().between(1, 4096),
                Arbitraries.integers().between(0, 50_000)
        ).as((taskId, attempt, tier, role, type, budget, inputTokens) -> Requests.withInput(
                Requests.withBudget(Requests.withAttempt(request(taskId, tier, role, type), attempt), budget),
                "a prompt", inputTokens));
    }

    /**
     * Required fields with names that need escaping, and a maximum length either absent or with room for the
     * fields (a contract whose own field names exceed its length cannot be met by anyone).
     */
    @Provide
    Arbitrary<OutputContract> fieldContracts() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcxyz_-\"\\é ").ofMinLength(1).ofMaxLength(10);
        return Combinators.combine(names.list().ofMaxSize(6), Arbitraries.integers().between(200, 3000).injectNull(0.4))
                .filter((fields, maxLength) -> !fields.isEmpty() || maxLength != null)
                .as((fields, maxLength) -> OutputContract.newBuilder().setRequiredFields(fields).setMaxLength(maxLength).build());
    }
}
