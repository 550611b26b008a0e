package dev.tierflow.policy.price;

import dev.tierflow.config.InvalidConfigException;
import java.util.List;

/** A price catalog file that cannot be used; the message names each field and its problem. */
public final class InvalidPriceCatalogException extends InvalidConfigException {

    public InvalidPriceCatalogException(String source, List<String> problems) {
        super("price catalog", source, problems);
    }
}
