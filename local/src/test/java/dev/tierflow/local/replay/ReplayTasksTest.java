package dev.tierflow.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.testing.TestInstants;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayTasksTest {

    private static final String FILE = """
            prompt_id,category,model,score,cost_usd,input_tokens,output_tokens
            b,math,small-model,1.0,0.000001,120,5
            b,math,mid-model,1.0,0.000002,130,5
            a,,small-model,1.0,0.000001,,
            """;

    @Test
    void oneTaskPerPromptInPromptOrderWithTheSuccessScoreAsItsContract() {
        List<AgentTask> tasks = new ReplayTasks("replay", "worker", null, 0.5).of(ReplayFixtures.index(FILE), TestInstants.BEGINNING);

        assertThat(tasks).extracting(AgentTask::getTaskId).containsExactly("replay-a", "replay-b");
        assertThat(tasks).extracting(AgentTask::getInputRef).containsExactly("a", "b");
        // the category, else "replay"
        assertThat(tasks).extracting(AgentTask::getTaskType).containsExactly("replay", "math");
        // the most input tokens recorded on the prompt, else 0
        assertThat(tasks).extracting(AgentTask::getInputTokens).containsExactly(0, 130);
        assertThat(tasks).extracting(AgentTask::getCreatedAt)
                .containsExactly(TestInstants.BEGINNING, TestInstants.BEGINNING.plusMillis(1));
        assertThat(tasks).allSatisfy(task -> {
            assertThat(task.getOutputContract().getMinQuality()).isEqualTo(0.5);
            assertThat(task.getTenant()).isEqualTo("replay");
            assertThat(task.getRole()).isEqualTo("worker");
            assertThat(task.getAttempt()).isZero();
        });
    }

    @Test
    void aGivenTaskTypeWinsOverTheCategory() {
        List<AgentTask> tasks = new ReplayTasks("replay", "worker", "qa", 0.5).of(ReplayFixtures.index(FILE), TestInstants.BEGINNING);

        assertThat(tasks).extracting(AgentTask::getTaskType).containsExactly("qa", "qa");
    }
}
