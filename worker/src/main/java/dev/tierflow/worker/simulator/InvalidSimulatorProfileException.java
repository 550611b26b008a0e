package dev.tierflow.worker.simulator;

import dev.tierflow.config.InvalidConfigException;
import java.util.List;

/** A simulator profile that cannot be used; the message names each field and its problem. */
public final class InvalidSimulatorProfileException extends InvalidConfigException {

    public InvalidSimulatorProfileException(String source, List<String> problems) {
        super("simulator profile", source, problems);
    }
}
