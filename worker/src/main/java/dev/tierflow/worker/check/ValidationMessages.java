package dev.tierflow.worker.check;

import com.networknt.schema.ValidationMessage;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Validator messages as one line for a span: each distinct message once, and only the first few. */
final class ValidationMessages {

    static final int MAX_SHOWN = 5;

    private ValidationMessages() {
    }

    static String join(Collection<ValidationMessage> messages) {
        // the 2020-12 meta-schema reports one mistake once per vocabulary that looks at it
        Set<String> distinct = messages.stream()
                .map(ValidationMessage::getMessage)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        String shown = distinct.stream().limit(MAX_SHOWN).collect(Collectors.joining("; "));
        int more = distinct.size() - MAX_SHOWN;
        return more > 0 ? shown + "; and " + more + " more" : shown;
    }
}
