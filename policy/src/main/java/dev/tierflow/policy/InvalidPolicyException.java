package dev.tierflow.policy;

import dev.tierflow.config.InvalidConfigException;
import java.util.List;

/** A policy file that cannot be used; the message names each field and its problem. */
public final class InvalidPolicyException extends InvalidConfigException {

    public InvalidPolicyException(String source, List<String> problems) {
        super("policy", source, problems);
    }
}
