package dev.tierflow.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.worker.backend.FinishReason;
import dev.tierflow.worker.backend.ModelCallException;
import dev.tierflow.worker.backend.ModelRequest;
import dev.tierflow.worker.backend.ModelResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayModelBackendTest {

    private static final Path RESOURCES = Path.of("src/test/resources/replay");
    private static final Map<String, String> ROUTERBENCH_MODELS = Map.of(
            "claude-haiku-4-5", "claude-instant-v1", "claude-opus-4-6", "gpt-4-1106-preview");

    private final ReplayModelBackend routerBench = ReplayModelBackend.fromFile(RESOURCES.resolve("routerbench-wide.csv"), ROUTERBENCH_MODELS);

    @Test
    void answersWithTheRecordedOutcomeOfTheMappedModel() throws Exception {
        ModelResponse response = routerBench.call(request("mmlu-astronomy.val.0", "claude-haiku-4-5"));

        assertThat(response.text()).isEqualTo("B");
        assertThat(response.quality()).isEqualTo(1.0);
        assertThat(response.recordedCostMicros()).isEqualTo(123L); // 0.000123 USD
        assertThat(response.model()).as("the tier's model, as the worker knows it").isEqualTo("claude-haiku-4-5");
        assertThat(response.provider()).isEqualTo("anthropic");
        assertThat(response.fallbackFrom()).isNull();
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.latencyMs()).isZero();
    }

    @Test
    void withoutRecordedTokensTheInputHintAndNoOutputAreReported() throws Exception {
        ModelResponse response = routerBench.call(request("mmlu-astronomy.val.0", "claude-opus-4-6"));

        assertThat(response.inputTokens()).isEqualTo(150);
        assertThat(response.outputTokens()).isZero();
        assertThat(response.cachedInputTokens()).isZero();
        assertThat(response.quality()).isEqualTo(0.0);
        assertThat(response.recordedCostMicros()).isEqualTo(3450L);
        assertThat(response.text()).isEqualTo("C, because \"size\" is relative");
    }

    @Test
    void aModelNameWithoutMappingIsLookedUpAsItIs() throws Exception {
        assertThat(routerBench.call(request("gsm8k.test.1", "gpt-4-1106-preview")).text()).isEqualTo("4");
    }

    @Test
    void costsRoundHalfToEvenMicroDollars() throws Exception {
        assertThat(routerBench.call(request("gsm8k.test.1", "claude-haiku-4-5")).recordedCostMicros())
                .as("0.0000125 USD = 12.5 µ$").isEqualTo(12L);
        assertThat(routerBench.call(request("gsm8k.test.1", "claude-opus-4-6")).recordedCostMicros())
                .as("0.0000135 USD = 13.5 µ$").isEqualTo(14L);
        assertThat(routerBench.call(request("mt-bench.2", "claude-haiku-4-5")).recordedCostMicros())
                .as("1.5E-5 USD").isEqualTo(15L);
    }

    @Test
    void aMultiLineResponseIsKeptWhole() throws Exception {
        assertThat(routerBench.call(request("gsm8k.test.1", "claude-haiku-4-5")).text()).isEqualTo("5\n(I think)");
    }

    @Test
    void anUnknownPromptIsNotFoundAndNamed() {
        assertThatThrownBy(() -> routerBench.call(request("mmlu.999", "claude-haiku-4-5")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ModelCallException.Kind.NOT_FOUND);
                    assertThat(e).hasMessage("the replay has no prompt 'mmlu.999'");
                });
    }

    @Test
    void anUnknownModelIsNotFoundAndNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> routerBench.call(request("gsm8k.test.1", "claude-sonnet-4-5")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ModelCallException.Kind.NOT_FOUND);
                    assertThat(e).hasMessage("the replay has no model 'claude-sonnet-4-5' "
                            + "(models: claude-instant-v1, gpt-4-1106-preview)");
                });
    }

    @Test
    void aMappedModelIsNamedWithTheTierModelItCameFrom() throws Exception {
        ReplayIndex index = ReplayLoader.load(RESOURCES.resolve("long.csv"), ReplayOptions.detect());
        ReplayModelBackend backend = new ReplayModelBackend(index, Map.of());

        assertThatThrownBy(() -> backend.call(request("p9", "claude-haiku-4-5")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e).hasMessage(
                        "the replay has no prompt 'p9' and no model 'claude-haiku-4-5' (models: claude-instant-v1, gpt-4)"));
        ReplayModelBackend mapped = new ReplayModelBackend(index, Map.of("claude-opus-4-6", "gpt-4"));
        assertThat(mapped.call(request("p1", "claude-opus-4-6")).recordedCostMicros()).isZero();
    }

    @Test
    void aKnownPromptAndModelWithoutAnOutcomeIsNotFound() {
        assertThatThrownBy(() -> routerBench.call(request("mt-bench.2", "claude-opus-4-6")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ModelCallException.Kind.NOT_FOUND);
                    assertThat(e).hasMessage("the replay has no outcome of model 'gpt-4-1106-preview' on prompt 'mt-bench.2'");
                });
    }

    @Test
    void aTaskWithoutAnInputRefIsAnInvalidRequest() {
        assertThatThrownBy(() -> routerBench.call(request(null, "claude-haiku-4-5")))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ModelCallException.Kind.INVALID_REQUEST));
    }

    @Test
    void aMappingToAModelTheReplayDoesNotHaveIsRefusedAtOnce() {
        ReplayIndex index = routerBench.index();

        assertThatThrownBy(() -> new ReplayModelBackend(index, Map.of("claude-haiku-4-5", "claude-instnt-v1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model mapping claude-haiku-4-5 -> claude-instnt-v1: the replay has no model "
                        + "'claude-instnt-v1' (models: claude-instant-v1, gpt-4-1106-preview)");
    }

    @Test
    void scoresOutsideZeroToOneAreClampedAndAMissingScoreHasNoQuality() throws Exception {
        ReplayModelBackend backend = new ReplayModelBackend(ReplayLoader.load(RESOURCES.resolve("long.csv"),
                ReplayOptions.detect()), Map.of());

        ModelResponse overOne = backend.call(request("p2", "gpt-4"));
        ModelResponse unscored = backend.call(request("p3", "gpt-4"));

        assertThat(overOne.quality()).isEqualTo(1.0);
        assertThat(overOne.recordedCostMicros()).as("no cost recorded: the worker prices the tokens").isNull();
        assertThat(overOne.inputTokens()).isEqualTo(300);
        assertThat(overOne.outputTokens()).isEqualTo(900);
        assertThat(overOne.text()).isEqualTo("step 1\nstep 2");
        assertThat(unscored.quality()).isNull();
        assertThat(unscored.recordedCostMicros()).isEqualTo(1000L);
        assertThat(unscored.text()).isEqualTo("[replay of gpt-4 on prompt p3]");
    }

    @Test
    void recordedTokensAndLatencyAreReported() throws Exception {
        ReplayModelBackend backend = ReplayModelBackend.fromFile(RESOURCES.resolve("wide.jsonl"), Map.of());

        ModelResponse response = backend.call(request("p1", "big-model"));

        assertThat(response.inputTokens()).isEqualTo(120);
        assertThat(response.outputTokens()).isEqualTo(35);
        assertThat(response.latencyMs()).isEqualTo(850);
        assertThat(response.recordedCostMicros()).isEqualTo(2100L);
    }

    private static ModelRequest request(String promptId, String model) {
        return new ModelRequest("task-1", 0, "acme", "worker", "extract", "small", "anthropic", model, null, promptId,
                150, 512, null);
    }
}
