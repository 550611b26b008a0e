package dev.tierflow.attribution.model;

/** The join key of a routed attempt and its span: {@code <taskId>#<attempt>}, the worker's span id. */
public final class AttemptKey {

    private AttemptKey() {
    }

    public static String of(String taskId, int attempt) {
        return taskId + "#" + attempt;
    }
}
