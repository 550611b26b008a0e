package dev.tierflow.policy.price;

import java.util.List;

/**
 * Models the price catalog has no price for. At startup it lists every model of the policy that is
 * missing (the worker refuses to start); while running it names the one model an answer came from
 * (the worker records an ERROR span rather than a made-up cost).
 */
public final class UnknownModelException extends RuntimeException {

    private final List<String> models;

    UnknownModelException(String message, List<String> models) {
        super(message);
        this.models = List.copyOf(models);
    }

    /** The models without a price, in the order they were asked about. */
    public List<String> models() {
        return models;
    }
}
