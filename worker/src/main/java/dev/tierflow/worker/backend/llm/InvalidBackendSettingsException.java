package dev.tierflow.worker.backend.llm;

import java.util.List;

/** A model backend's settings are wrong; the message names every problem by its field. */
public final class InvalidBackendSettingsException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidBackendSettingsException(List<String> problems) {
        super("invalid model backend settings:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each starting with the field it is about ({@code "timeout: ..."}). */
    public List<String> problems() {
        return problems;
    }
}
