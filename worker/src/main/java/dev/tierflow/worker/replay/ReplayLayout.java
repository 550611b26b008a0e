package dev.tierflow.worker.replay;

/** How a replay file arranges its recorded outcomes. */
public enum ReplayLayout {
    /**
     * One row per prompt: an id ({@code sample_id}), an optional category ({@code eval_name}), and per model
     * a score column {@code <model>} with {@code <model>|total_cost} (USD) and/or {@code <model>|input_tokens},
     * {@code <model>|output_tokens}, optionally {@code <model>|model_response} and {@code <model>|latency_ms}.
     * This is RouterBench's layout; other columns (its {@code prompt}, {@code oracle_model_to_route_to}) are
     * ignored.
     */
    WIDE,
    /**
     * One row per prompt and model: {@code prompt_id, model, score} with {@code cost_usd} and/or
     * {@code input_tokens, output_tokens}, optionally {@code response}, {@code latency_ms} and a category.
     * Other columns are ignored.
     */
    LONG
}
