package dev.tierflow.worker.backend.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.worker.backend.ModelBackend;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmBackendSettingsTest {

    @Test
    void absentValuesGetTheDefaults() {
        LlmBackendSettings settings = new LlmBackendSettings("OpenAI", null, null, null, 0, null, null, null);

        assertThat(settings.type()).isEqualTo("openai");
        assertThat(settings.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.baseDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.maxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.maxAttempts()).isEqualTo(1);
        assertThat(LlmBackendSettings.anthropic("ANTHROPIC_API_KEY").baseUrl())
                .isEqualTo("https://api.anthropic.com/v1/");
        assertThat(LlmBackendSettings.anthropic("ANTHROPIC_API_KEY").maxRetries())
                .isEqualTo(LlmBackendSettings.DEFAULT_MAX_RETRIES);
    }

    @Test
    void everyProblemIsNamedByItsField() {
        assertThatThrownBy(() -> new LlmBackendSettings("gemini", "localhost:11434", "sk-ant-api03-secret!",
                Duration.ZERO, -1, Duration.ofSeconds(2), Duration.ofSeconds(1), " "))
                .isInstanceOfSatisfying(InvalidBackendSettingsException.class, e -> {
                    assertThat(e.problems()).containsExactly(
                            "type: must be openai or anthropic, was 'gemini'",
                            "baseUrl: must be an absolute http or https URL such as http://localhost:11434/v1, was"
                                    + " 'localhost:11434'",
                            "apiKeyEnv: must name an environment variable (letters, digits and _, not starting with a"
                                    + " digit), not hold the key itself",
                            "timeout: must be positive, was PT0S",
                            "maxRetries: must be between 0 and 10, was -1",
                            "maxDelay: must be at least baseDelay (PT2S), was PT1S",
                            "fallbackModel: must not be blank (leave it out for no fallback)");
                    assertThat(e.getMessage()).startsWith("invalid model backend settings:\n  - type:")
                            .doesNotContain("secret");
                });
    }

    @Test
    void anthropicNeedsAKeyVariableAndOpenAiDoesNot() {
        assertThatThrownBy(() -> new LlmBackendSettings("anthropic", null, null, null, 3, null, null, null))
                .isInstanceOfSatisfying(InvalidBackendSettingsException.class, e -> assertThat(e.problems())
                        .containsExactly("apiKeyEnv: required for anthropic: the environment variable holding the"
                                + " API key, such as ANTHROPIC_API_KEY"));
        assertThat(LlmBackendSettings.openAi("http://localhost:8000/v1", null).apiKeyEnv()).isNull();
    }

    @Test
    void aMissingTypeIsNamed() {
        assertThatThrownBy(() -> new LlmBackendSettings(null, null, null, null, 3, null, null, null))
                .hasMessageContaining("type: must be openai or anthropic, was missing");
    }

    @Test
    void theFactoryBuildsTheBackendOfTheType() {
        Map<String, String> env = Map.of("KEY", "k");

        assertThat(LlmBackends.create(LlmBackendSettings.openAi("http://localhost:11434/v1", null), env))
                .isInstanceOf(OpenAiCompatibleBackend.class);
        assertThat(LlmBackends.create(LlmBackendSettings.anthropic("KEY"), env))
                .isInstanceOf(AnthropicBackend.class);
        ModelBackend withFallback = LlmBackends.create(
                LlmBackendSettings.anthropic("KEY").withFallbackModel("claude-sonnet-4-5"), env);
        assertThat(withFallback).isInstanceOfSatisfying(FallbackBackend.class,
                fallback -> assertThat(fallback.fallbackModel()).isEqualTo("claude-sonnet-4-5"));
    }

    @Test
    void theFactoryPicksTheBudgetFieldByServer() {
        assertThat(LlmBackends.create(LlmBackendSettings.openAi(null, "KEY"), Map.of("KEY", "k")))
                .isInstanceOfSatisfying(OpenAiCompatibleBackend.class, backend -> assertThat(backend.tokenLimitField())
                        .isEqualTo(OpenAiCompatibleBackend.TokenLimitField.MAX_COMPLETION_TOKENS));
        assertThat(LlmBackends.create(LlmBackendSettings.openAi("http://localhost:8080/v1", null), Map.of()))
                .isInstanceOfSatisfying(OpenAiCompatibleBackend.class, backend -> assertThat(backend.tokenLimitField())
                        .isEqualTo(OpenAiCompatibleBackend.TokenLimitField.MAX_TOKENS));
    }

    @Test
    void aKeyVariableThatIsNotSetIsRefusedAtOnce() {
        assertThatThrownBy(() -> LlmBackends.create(LlmBackendSettings.anthropic("ANTHROPIC_API_KEY"),
                Map.of("ANTHROPIC_API_KEY", "  ")))
                .isInstanceOf(InvalidBackendSettingsException.class)
                .hasMessageContaining("apiKeyEnv: the environment variable ANTHROPIC_API_KEY is not set");
        assertThatThrownBy(() -> LlmBackends.create(LlmBackendSettings.openAi(null, "OPENAI_API_KEY"), Map.of()))
                .hasMessageContaining("OPENAI_API_KEY is not set");
    }

    @Test
    void aBackendRefusesSettingsOfAnotherType() {
        assertThatThrownBy(() -> new AnthropicBackend(LlmBackendSettings.openAi(null, null), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AnthropicBackend needs settings of type anthropic, was openai");
    }
}
