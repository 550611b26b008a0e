package dev.tierflow.config;

import java.util.List;

/**
 * A file a person wrote that cannot be used. The message names every problem as "field: what is wrong",
 * so all of them can be fixed in one go.
 */
public class InvalidConfigException extends RuntimeException {

    private final List<String> problems;

    /**
     * @param what what kind of file it is, e.g. "policy" or "price catalog"
     * @param source where it came from, e.g. its path
     */
    public InvalidConfigException(String what, String source, List<String> problems) {
        super("invalid " + what + " " + source + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as "field: what is wrong". */
    public List<String> problems() {
        return problems;
    }
}
