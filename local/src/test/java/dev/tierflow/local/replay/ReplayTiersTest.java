package dev.tierflow.local.replay;

import static dev.tierflow.local.replay.ReplayFixtures.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.worker.replay.ReplayIndex;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayTiersTest {

    private static final ReplayIndex INDEX = ReplayFixtures.index("""
            prompt_id,model,score,cost_usd
            p1,small-model,1.0,0.000001
            p1,gpt-4,1.0,0.000003
            p1,llama,1.0,0.000002
            """);

    @Test
    void aTierAnswersAsItsOwnModelOrAsTheRecordedModelItIsMappedTo() {
        ReplayTiers tiers = ReplayTiers.of(POLICY, INDEX, Map.of("mid", "llama", "top", "gpt-4"));

        assertThat(tiers.recordedModel("small")).isEqualTo("small-model");
        assertThat(tiers.recordedModel("mid")).isEqualTo("llama");
        assertThat(tiers.recordedModel("top")).isEqualTo("gpt-4");
    }

    @Test
    void everyUnmappedTierAndUnknownTierIsNamed() {
        assertThatThrownBy(() -> ReplayTiers.of(POLICY, INDEX, Map.of("huge", "gpt-4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--model huge=...: the policy has no tier 'huge' (tiers are small, mid, top)")
                .hasMessageContaining("tier mid: the replay has no model 'mid-model'; map the tier to a recorded model with --model mid=RECORDED")
                .hasMessageContaining("tier top: the replay has no model 'top-model'")
                .hasMessageContaining("recorded models: gpt-4, llama, small-model");
    }
}
