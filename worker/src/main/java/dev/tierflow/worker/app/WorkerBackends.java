package dev.tierflow.worker.app;

import dev.tierflow.policy.Tier;
import dev.tierflow.policy.WorkerBackend;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.llm.LlmBackendSettings;
import dev.tierflow.worker.backend.llm.LlmBackends;
import dev.tierflow.worker.replay.ReplayModelBackend;
import dev.tierflow.worker.simulator.SimulatedModelBackend;
import dev.tierflow.worker.simulator.SimulatorProfile;
import dev.tierflow.worker.simulator.SimulatorProfileLoader;
import java.nio.file.Path;
import java.util.Map;

/** Makes the backend a tier's {@code backend} section of the policy names. */
final class WorkerBackends {

    private WorkerBackends() {
    }

    static ModelBackend create(Tier tier, WorkerSettings settings, Map<String, String> environment) {
        WorkerBackend backend = tier.backend();
        return switch (backend.type()) {
            case WorkerBackend.SIMULATOR -> {
                SimulatorProfile profile = settings.simulatorProfile() == null ? SimulatorProfile.defaults()
                        : SimulatorProfileLoader.load(settings.simulatorProfile());
                yield new SimulatedModelBackend(profile.withSeed(settings.simulatorSeed()));
            }
            case WorkerBackend.REPLAY -> ReplayModelBackend.fromFile(Path.of(backend.file()), backend.recordedModels());
            case WorkerBackend.OPENAI, WorkerBackend.ANTHROPIC -> LlmBackends.create(new LlmBackendSettings(backend.type(),
                    backend.baseUrl(), backend.apiKeyEnv(), backend.timeout(), backend.maxRetries(), null, null,
                    backend.fallbackModel()), environment);
            default -> throw new IllegalArgumentException("tier " + tier.name() + ": backend type '" + backend.type()
                    + "' is not available in this build");
        };
    }
}
