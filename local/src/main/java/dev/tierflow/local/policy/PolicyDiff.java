package dev.tierflow.local.policy;

import dev.tierflow.policy.RoutingPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What changed between two validated policies, section by section: {@code + item: fields} for an item only
 * the new one has, {@code - item: fields} for one only the old one has, {@code ~ item.field: old -> new} for
 * each field that differs ({@code (none)} where one side does not set it).
 */
public final class PolicyDiff {

    static final String NONE = "(none)";

    /** The changed lines of one section, in a stable order. */
    public record Section(String name, List<String> changes) {
    }

    private PolicyDiff() {
    }

    /** The sections with changes; empty when the policies say the same. */
    public static List<Section> between(RoutingPolicy oldPolicy, RoutingPolicy newPolicy) {
        Map<String, Map<String, Map<String, String>>> before = PolicyFacts.of(oldPolicy);
        Map<String, Map<String, Map<String, String>>> after = PolicyFacts.of(newPolicy);
        List<Section> sections = new ArrayList<>();
        before.forEach((section, oldItems) -> {
            List<String> changes = changes(oldItems, after.get(section));
            if (!changes.isEmpty()) {
                sections.add(new Section(section, changes));
            }
        });
        return sections;
    }

    private static List<String> changes(Map<String, Map<String, String>> before, Map<String, Map<String, String>> after) {
        Set<String> items = new LinkedHashSet<>(before.keySet());
        items.addAll(after.keySet());
        List<String> changes = new ArrayList<>();
        for (String item : items.stream().sorted().toList()) {
            Map<String, String> oldFields = before.get(item);
            Map<String, String> newFields = after.get(item);
            if (oldFields == null) {
                changes.add("+ " + item + ": " + describe(newFields));
            } else if (newFields == null) {
                changes.add("- " + item + ": " + describe(oldFields));
            } else {
                Set<String> fields = new LinkedHashSet<>(oldFields.keySet());
                fields.addAll(newFields.keySet());
                for (String field : fields) {
                    String oldValue = oldFields.getOrDefault(field, NONE);
                    String newValue = newFields.getOrDefault(field, NONE);
                    if (!oldValue.equals(newValue)) {
                        changes.add("~ " + name(item, field) + ": " + oldValue + " -> " + newValue);
                    }
                }
            }
        }
        return changes;
    }

    private static String name(String item, String field) {
        return field.equals(PolicyFacts.VALUE) ? item : item + "." + field;
    }

    private static String describe(Map<String, String> fields) {
        if (fields.size() == 1 && fields.containsKey(PolicyFacts.VALUE)) {
            return fields.get(PolicyFacts.VALUE);
        }
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
