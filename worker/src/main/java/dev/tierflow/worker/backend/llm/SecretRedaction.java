package dev.tierflow.worker.backend.llm;

import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Takes credentials out of text that leaves the worker: a backend's error message becomes a span's
 * {@code checkDetail} on a Kafka topic (and the OpenTelemetry span's status), where whoever reads the topic could
 * read a key the provider echoed back ("Incorrect API key provided: sk-...") or a password in a base URL.
 *
 * <p>Redacted, each replaced by {@value #MASK}: the userinfo of a URL ({@code https://user:pass@host} becomes
 * {@code https://***@host}); OpenAI- and Anthropic-style keys ({@code sk-...}, {@code sk-ant-...}), AWS access key
 * ids, Google API keys, GitHub tokens and JWTs wherever they stand; the value after {@code Bearer}, after
 * {@code Authorization}, and after a credential's name with {@code :} or {@code =} ({@code api_key=...},
 * {@code x-api-key: ...}, {@code password=...}, {@code client_secret: ...}); and a long token (16 or more
 * characters of hex, base64 or URL-safe base64) after the words key, token or secret. The name stays, so the
 * message still says what was wrong.
 *
 * <p>It errs towards redacting: a long identifier after the word "key" is masked too. The patterns have no nested
 * quantifiers, and a text is cut to {@value #MAX_LENGTH} characters first, so redacting never takes long.
 */
public final class SecretRedaction {

    /** What a credential is replaced by. */
    public static final String MASK = "***";

    /** A value up to whitespace, a quote, a separator or a bracket. */
    private static final String UNQUOTED = "[^\\s\"'`,;&<>(){}\\[\\]]+";
    /** A quoted value, to its closing quote or, without one, to the end of the line. */
    private static final String QUOTED = "(?:\"[^\"\\r\\n]*\"?|'[^'\\r\\n]*'?)";
    /** What stands between a name and its value: {@code : }, {@code =}, {@code ": }... */
    private static final String ASSIGNED = "[\"']?\\s*[:=]\\s*";

    /** The longest text redacted; past it the text is cut first (an error text is a few hundred characters). */
    static final int MAX_LENGTH = 10_000;

    /**
     * Each rule's group {@code s} is a secret. Every rule is matched against the original text, overlapping
     * matches included, and the union of their secrets is masked: one rule's match cannot hide another's secret
     * (in {@code token=Bearer abc...}, the first rule would otherwise take "Bearer" as the token's value).
     */
    private static final List<Pattern> RULES = Stream.of(
            // the userinfo of a URL: everything between "scheme://" and the last '@' of the authority
            // (the scheme's length is bounded so that a long run of letters is not rescanned from each of them)
            "(?i)[a-z][a-z0-9+.-]{0,30}://(?<s>[^/\\s?#]*)@",
            // Authorization: <scheme> <credentials>, as a header line or a JSON field
            "(?i)authorization" + ASSIGNED + "(?<s>" + QUOTED + "|(?:[A-Za-z-]+ +)?" + UNQUOTED + ")",
            // a credential's name, then ':' or '=', then its value, whatever its length
            "(?i)(?:(?:x-)?(?:api|access|auth|refresh|session|secret|private|client)[_-]?(?:key|token|secret)"
                    + "|apikey|password|passwd|pwd|secret|token|credentials?)" + ASSIGNED + "(?<s>" + QUOTED + "|" + UNQUOTED + ")",
            "(?i)bearer\\s+(?<s>[A-Za-z0-9._~+/=-]{8,})",
            // well-known key formats, wherever they stand
            "(?<s>sk-[A-Za-z0-9_-]{16,})",
            "(?<s>(?:AKIA|ASIA)[0-9A-Z]{16})",
            "(?<s>AIza[0-9A-Za-z_-]{30,})",
            "(?<s>(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,})",
            "(?<s>eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*)",
            // a long token after the words key, token or secret (with or without ':' or '=')
            "(?i)(?:key|token|secret)s?[\"']?\\s*[:=]?\\s*[\"']?(?<s>[A-Za-z0-9+/_.~-]{16,}=*)")
            .map(Pattern::compile)
            .toList();

    private SecretRedaction() {
    }

    /**
     * {@code text} with every credential it holds masked, each run of masked characters replaced by one
     * {@value #MASK}; null stays null. A text longer than {@value #MAX_LENGTH} characters is cut to that first.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String cut = text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH) + "... (cut)";
        BitSet secret = new BitSet(cut.length());
        for (Pattern rule : RULES) {
            Matcher matcher = rule.matcher(cut);
            for (int from = 0; from < cut.length() && matcher.find(from); from = matcher.start() + 1) {
                secret.set(matcher.start("s"), matcher.end("s"));
            }
        }
        if (secret.isEmpty()) {
            return cut;
        }
        StringBuilder redacted = new StringBuilder(cut.length());
        int at = 0;
        for (int start = secret.nextSetBit(0); start >= 0; start = secret.nextSetBit(at)) {
            int end = secret.nextClearBit(start);
            redacted.append(cut, at, start).append(MASK);
            at = end;
        }
        return redacted.append(cut, at, cut.length()).toString();
    }
}
