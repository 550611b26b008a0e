package dev.tierflow.worker.simulator;

import static dev.tierflow.worker.simulator.Requests.fields;
import static dev.tierflow.worker.simulator.Requests.request;
import static dev.tierflow.worker.simulator.Requests.withAttempt;
import static dev.tierflow.worker.simulator.Requests.withBudget;
import static dev.tierflow.worker.simulator.Requests.withContract;
import static dev.tierflow.worker.simulator.Requests.withInput;
import static dev.tierflow.worker.simulator.Requests.withTier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.tierflow.schemas.OutputContract;
import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelRequest;
import dev.tierflow.worker.backend.ModelResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulatedModelBackendTest {

    private static final long SEED = 42L;
    private static final OutputContract INVOICE = fields(400, "invoice_number", "total");

    private final SimulatedModelBackend backend = SimulatedModelBackend.withDefaults(SEED);

    @Test
    void theSameRequestGetsTheSameResponseFromAnyInstanceInAnyOrder() throws Exception {
        ModelRequest a = withContract(request("task-a", "small", "worker", "extract"), INVOICE);
        ModelRequest b = request("task-b", "mid", "planner", "plan");

        ModelResponse firstA = backend.call(a);
        ModelResponse firstB = backend.call(b);
        SimulatedModelBackend other = SimulatedModelBackend.withDefaults(SEED);
        ModelResponse otherB = other.call(b);
        ModelResponse otherA = other.call(a);

        assertThat(backend.call(a)).isEqualTo(firstA);
        assertThat(otherA).isEqualTo(firstA);
        assertThat(otherB).isEqualTo(firstB);
    }

    /**
     * Pinned values, not hand-derived: they change only if the seeding, the order of the draws or the text
     * writer changes, which would silently change every recorded demo run and benchmark. If this fails on
     * purpose, say so in the change and update the numbers.
     */
    @Test
    void aResponseIsReproducibleAcrossVersions() throws Exception {
        ModelResponse response = backend.call(withContract(request("golden-1", "mid", "worker", "extract"), INVOICE));

        assertThat(response.latencyMs()).isEqualTo(1097);
        assertThat(response.outputTokens()).isEqualTo(142);
        assertThat(response.quality()).isEqualTo(0.8482423804501479);
        assertThat(response.cachedInputTokens()).isEqualTo(12); // 10% of 120
        assertThat(response.text()).hasSize(400).startsWith("{\"invoice_number\":\"order extract model detail step");
    }

    @Test
    void anotherSeedGivesOtherResponses() throws Exception {
        SimulatedModelBackend reseeded = SimulatedModelBackend.withDefaults(SEED + 1);

        assertThat(responses(reseeded, "small", "worker", "extract", 20))
                .isNotEqualTo(responses(backend, "small", "worker", "extract", 20));
    }

    @Test
    void anEscalatedAttemptOrAnotherTierGetsFreshDraws() throws Exception {
        List<Long> firstAttempt = new ArrayList<>();
        List<Long> secondAttempt = new ArrayList<>();
        List<Long> otherTier = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ModelRequest request = request("task-" + i, "mid", "worker", "extract");
            firstAttempt.add(backend.call(request).latencyMs());
            secondAttempt.add(backend.call(withAttempt(request, 1)).latencyMs());
            otherTier.add(backend.call(withTier(request, "small")).latencyMs());
        }

        assertThat(secondAttempt).isNotEqualTo(firstAttempt);
        assertThat(otherTier).isNotEqualTo(firstAttempt);
    }

    @Test
    void withoutSpreadEveryDrawIsTheProfileItself() throws Exception {
        SimulatedModelBackend exact = new SimulatedModelBackend(SimulatorProfile.defaults().withTier("small",
                new TierProfile(new LatencyProfile(300, 0.0), new OutputTokensProfile(0.25, 0.0), 0.6, 0.0, 0.5,
                        Map.of("plan", -0.2, "planner", -0.1))));

        ModelResponse response = exact.call(withBudget(request("t", "small", "planner", "plan"), 400));

        assertThat(response.latencyMs()).isEqualTo(300);
        assertThat(response.outputTokens()).isEqualTo(100);
        assertThat(response.quality()).isCloseTo(0.3, within(1e-9)); // 0.6 - 0.2 (type) - 0.1 (role)
        assertThat(response.cachedInputTokens()).isEqualTo(60);      // half of the 120-token hint
        assertThat(response.text()).hasSize(400);                    // 100 tokens x 4 characters, no contract
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void theResponseEchoesTheModelAndLeavesPricingToTheWorker() throws Exception {
        ModelResponse response = backend.call(request("t", "frontier", "planner", "plan"));

        assertThat(response.model()).isEqualTo("model-of-frontier");
        assertThat(response.provider()).isEqualTo("anthropic");
        assertThat(response.fallbackFrom()).isNull();
        assertThat(response.recordedCostMicros()).isNull();
        assertThat(response.quality()).isBetween(0.0, 1.0);
    }

    @Test
    void inputTokensComeFromTheHintElseFromThePromptLength() throws Exception {
        ModelRequest base = request("t", "small", "worker", "extract");

        assertThat(backend.call(withInput(base, "ten chars!", 250)).inputTokens()).isEqualTo(250);
        assertThat(backend.call(withInput(base, "ten chars!", 0)).inputTokens()).isEqualTo(3); // ceil(10 / 4)
        assertThat(backend.call(withInput(base, null, 0)).inputTokens()).isZero();
    }

    @Test
    void aModelThatWantsMoreThanTheBudgetIsCutOffAtIt() throws Exception {
        SimulatedModelBackend verbose = new SimulatedModelBackend(SimulatorProfile.defaults().withTier("small",
                new TierProfile(new LatencyProfile(300, 0.0), new OutputTokensProfile(2.0, 0.0), 0.8, 0.0, 0.0, Map.of())));

        ModelResponse response = verbose.call(withBudget(request("t", "small", "worker", "extract"), 100));

        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.outputTokens()).isEqualTo(100);
        assertThat(response.text()).hasSize(400); // wanted 200 tokens (800 chars), kept the first half
    }

    @Test
    void budgetExhaustionCutsJsonShort() throws Exception {
        SimulatedModelBackend verbose = new SimulatedModelBackend(SimulatorProfile.defaults()
                .withCompliance(ComplianceCurve.constant(1.0)).withTier("small", new TierProfile(
                        new LatencyProfile(300, 0.0), new OutputTokensProfile(1.5, 0.0), 0.8, 0.0, 0.0, Map.of())));

        ModelResponse response = verbose.call(withContract(request("t", "small", "worker", "extract"),
                fields(null, "invoice_number")));

        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.outputTokens()).isEqualTo(512);
        assertThat(SimpleContractCheck.parse(response.text())).as("cut-off JSON does not parse").isNull();
    }

    @Test
    void degradingLowersQualityAndComplianceAndRestoringGivesBackTheSameResponses() throws Exception {
        List<ModelResponse> healthy = responses(backend, "small", "worker", "extract", 300);

        backend.degrade("small", "extract", 0.4);
        List<ModelResponse> degraded = responses(backend, "small", "worker", "extract", 300);
        backend.restore("small", "extract");
        List<ModelResponse> restored = responses(backend, "small", "worker", "extract", 300);

        assertThat(meanQuality(degraded)).isLessThan(meanQuality(healthy) - 0.3);
        assertThat(passing(degraded)).isLessThan(passing(healthy) - 60);
        for (int i = 0; i < healthy.size(); i++) {
            assertThat(degraded.get(i).quality()).isLessThanOrEqualTo(healthy.get(i).quality());
            assertThat(degraded.get(i).latencyMs()).as("only quality changes").isEqualTo(healthy.get(i).latencyMs());
        }
        assertThat(restored).isEqualTo(healthy);
    }

    @Test
    void aDegradationAppliesToItsTierAndItsRoleOrTypeOnly() throws Exception {
        List<ModelResponse> smallPlanner = responses(backend, "small", "planner", "plan", 50);
        List<ModelResponse> midWorker = responses(backend, "mid", "worker", "extract", 50);
        List<ModelResponse> smallWorker = responses(backend, "small", "worker", "extract", 50);

        backend.degrade("small", "worker", 0.3);

        assertThat(responses(backend, "small", "planner", "plan", 50)).isEqualTo(smallPlanner);
        assertThat(responses(backend, "mid", "worker", "extract", 50)).isEqualTo(midWorker);
        assertThat(meanQuality(responses(backend, "small", "worker", "extract", 50)))
                .isLessThan(meanQuality(smallWorker) - 0.2);
    }

    @Test
    void aWholeTierCanBeDegradedAndEverythingRestored() throws Exception {
        List<ModelResponse> planner = responses(backend, "mid", "planner", "plan", 50);
        List<ModelResponse> worker = responses(backend, "mid", "worker", "extract", 50);

        backend.degrade("mid", "*", 0.3);
        backend.degrade("mid", "plan", 0.2);
        double degradedPlanner = meanQuality(responses(backend, "mid", "planner", "plan", 50));
        double degradedWorker = meanQuality(responses(backend, "mid", "worker", "extract", 50));
        backend.restoreAll();

        assertThat(degradedPlanner).as("tier and type add up").isLessThan(meanQuality(planner) - 0.4);
        assertThat(degradedWorker).isLessThan(meanQuality(worker) - 0.2);
        assertThat(responses(backend, "mid", "planner", "plan", 50)).isEqualTo(planner);
        assertThat(responses(backend, "mid", "worker", "extract", 50)).isEqualTo(worker);
    }

    @Test
    void degradingRefusesAnUnknownTierAndANegativeDelta() {
        assertThatThrownBy(() -> backend.degrade("huge", "plan", 0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no tier 'huge'").hasMessageContaining("small, mid, frontier");
        assertThatThrownBy(() -> backend.degrade("small", "plan", -0.2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was -0.2");
    }

    @Test
    void frontierPlansBetterThanSmall() throws Exception {
        double frontier = meanQuality(responses(backend, "frontier", "planner", "plan", 500));
        double small = meanQuality(responses(backend, "small", "planner", "plan", 500));

        assertThat(frontier).isGreaterThan(small + 0.3);
    }

    @Test
    void smallFormatsAboutAsWellAsFrontier() throws Exception {
        double frontier = meanQuality(responses(backend, "frontier", "file-ops", "format", 500));
        double small = meanQuality(responses(backend, "small", "file-ops", "format", 500));

        assertThat(small).isCloseTo(frontier, within(0.1));
    }

    @Test
    void compliantOutputsPassTheContractAndNonCompliantOnesFailIt() throws Exception {
        SimulatedModelBackend alwaysCompliant = withCompliance(1.0);
        SimulatedModelBackend neverCompliant = withCompliance(0.0);
        List<OutputContract> contracts = List.of(INVOICE, fields(null, "a", "b", "c"), fields(30, "id"),
                OutputContract.newBuilder().setMaxLength(50).build());

        for (OutputContract contract : contracts) {
            for (int i = 0; i < 40; i++) {
                ModelRequest request = withContract(request("task-" + i, "small", "worker", "extract"), contract);
                assertThat(SimpleContractCheck.passes(alwaysCompliant.call(request).text(), contract))
                        .as("compliant draw for %s", contract).isTrue();
                assertThat(SimpleContractCheck.passes(neverCompliant.call(request).text(), contract))
                        .as("non-compliant draw for %s", contract).isFalse();
            }
        }
    }

    @Test
    void compliantOutputsFollowTheRequiredPropertiesOfAJsonSchema() throws Exception {
        String schemaText = """
                {"type": "object", "required": ["count", "kind", "ok", "note"],
                 "properties": {"count": {"type": "integer"}, "kind": {"enum": ["invoice", "receipt"]},
                                "ok": {"type": "boolean"}, "note": {"type": "string"}}}""";
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaText);
        OutputContract contract = OutputContract.newBuilder().setJsonSchema(schemaText).build();

        for (int i = 0; i < 40; i++) {
            String text = withCompliance(1.0).call(withContract(request("task-" + i, "mid", "worker", "extract"), contract)).text();
            JsonNode output = SimpleContractCheck.parse(text);
            assertThat(output).as(text).isNotNull();
            assertThat(schema.validate(output)).as(text).isEmpty();
        }
    }

    @Test
    void withoutAContractTheOutputIsPlainText() throws Exception {
        ModelResponse response = backend.call(request("t", "mid", "worker", "summarize"));

        assertThat(response.text()).isNotEmpty();
        assertThat(SimpleContractCheck.parse(response.text())).isNull();
    }

    @Test
    void aRegexOnlyContractGetsTheSameTextWhateverTheDraw() throws Exception {
        // a regex cannot be satisfied in general, so the simulator does not try: compliance makes no difference
        ModelRequest request = withContract(request("t", "small", "worker", "classify"),
                OutputContract.newBuilder().setRegex("(yes|no)").build());

        assertThat(withCompliance(1.0).call(request).text()).isEqualTo(withCompliance(0.0).call(request).text());
    }

    @Test
    void byDefaultACallDoesNotWait() throws Exception {
        List<Long> waits = new ArrayList<>();
        SimulatedModelBackend instant = new SimulatedModelBackend(SimulatorProfile.defaults(), waits::add);

        instant.call(request("t", "frontier", "planner", "plan"));

        assertThat(waits).isEmpty();
    }

    @Test
    void withATimeScaleACallWaitsItsScaledLatency() throws Exception {
        List<Long> waits = new ArrayList<>();
        SimulatedModelBackend live = new SimulatedModelBackend(SimulatorProfile.defaults().withTimeScale(0.5), waits::add);

        ModelResponse response = live.call(request("t", "frontier", "planner", "plan"));

        assertThat(waits).containsExactly(Math.round(response.latencyMs() * 0.5));
    }

    @Test
    void anInterruptedWaitFailsTheCallAndKeepsTheInterrupt() {
        SimulatedModelBackend live = new SimulatedModelBackend(SimulatorProfile.defaults().withTimeScale(1.0), millis -> {
            throw new InterruptedException();
        });

        try {
            assertThatThrownBy(() -> live.call(request("t", "small", "worker", "extract")))
                    .isInstanceOf(ModelCallException.class).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted(); // clear it for the next test
        }
    }

    @Test
    void anUnknownTierOrAnEmptyBudgetIsAnInvalidRequest() {
        assertThatThrownBy(() -> backend.call(request("t", "gigantic", "worker", "extract")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ModelCallException.Kind.INVALID_REQUEST);
                    assertThat(e).hasMessageContaining("no tier 'gigantic'").hasMessageContaining("small, mid, frontier");
                });
        assertThatThrownBy(() -> backend.call(withBudget(request("t", "small", "worker", "extract"), 0)))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ModelCallException.Kind.INVALID_REQUEST));
    }

    private static SimulatedModelBackend withCompliance(double probability) {
        return new SimulatedModelBackend(SimulatorProfile.defaults().withSeed(SEED)
                .withCompliance(ComplianceCurve.constant(probability)));
    }

    private static List<ModelResponse> responses(SimulatedModelBackend backend, String tier, String role,
                                                 String taskType, int count) throws ModelCallException {
        List<ModelResponse> responses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            responses.add(backend.call(withContract(request("task-" + i, tier, role, taskType), INVOICE)));
        }
        return responses;
    }

    private static double meanQuality(List<ModelResponse> responses) {
        return responses.stream().mapToDouble(ModelResponse::quality).average().orElseThrow();
    }

    private static long passing(List<ModelResponse> responses) {
        return IntStream.range(0, responses.size())
                .filter(i -> SimpleContractCheck.passes(responses.get(i).text(), INVOICE)).count();
    }
}
