package dev.tierflow.worker.backend.llm;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A credential embedded anywhere in any text never survives {@link SecretRedaction}. */
class SecretRedactionProperties {

    /** A credential as it appears in text, and the part of it that must not survive. */
    record Embedded(String written, String secret) {
    }

    @Property(tries = 1_000, seed = "20261207")
    void anEmbeddedCredentialNeverSurvives(@ForAll("texts") String before, @ForAll("credentials") Embedded credential,
                                          @ForAll("texts") String after) {
        String redacted = SecretRedaction.redact(before + credential.written() + after);

        assertThat(redacted).doesNotContain(credential.secret());
    }

    @Provide
    Arbitrary<String> texts() {
        // any characters, with the ones credentials are made of and those around them in error texts weighted up
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.chars().alpha().numeric()),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(' ', ':', '=', '"', '\'', '/', '@', '-', '_', '.', ',', '{', '}', '\n')),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars()));
        return Arbitraries.oneOf(
                chars.list().ofMaxSize(60).map(SecretRedactionProperties::join),
                Arbitraries.of("HTTP 401 ", "Incorrect API key provided: ", "could not reach ", "{\"error\": \"",
                        "https://", "key ", "token=", "Bearer ", "api_key", "sk-", " (3 attempts)", ""));
    }

    @Provide
    Arbitrary<Embedded> credentials() {
        Arbitrary<String> token = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('-', '_').ofMinLength(20).ofMaxLength(60);
        Arbitrary<String> hex = Arbitraries.strings().withCharRange('0', '9').withCharRange('a', 'f').ofMinLength(16).ofMaxLength(64);
        Arbitrary<String> base64 = Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z').withCharRange('0', '9')
                .withChars('+', '/').ofMinLength(16).ofMaxLength(64).map(s -> s + "==");
        Arbitrary<String> anyValue = Arbitraries.strings().withCharRange('!', '~').excludeChars('"', '\'', '`', ',', ';', '&',
                '<', '>', '(', ')', '{', '}', '[', ']').ofMinLength(6).ofMaxLength(40);
        Arbitrary<String> userinfoPart = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars('.', '_', '~', '-', '!', '$', '&', '(', ')', '*', '+', ',', ';', '=', '%', ':')
                .ofMinLength(6).ofMaxLength(30);
        Arbitrary<String> scheme = Arbitraries.of("http", "https", "HTTPS", "wss", "redis");
        Arbitrary<String> keyName = Arbitraries.of("api_key", "API_KEY", "apiKey", "api-key", "x-api-key", "X-Api-Key",
                "access_token", "client_secret", "password", "secret", "token", "auth_token");
        Arbitrary<String> separator = Arbitraries.of("=", ": ", ":", " = ", "\": \"", "\"=");
        Arbitrary<String> word = Arbitraries.of("key", "KEY", "token", "secret", "Secret", "keys", "tokens");

        return Arbitraries.oneOf(
                token.map(t -> new Embedded("sk-" + t, "sk-" + t)),
                token.map(t -> new Embedded("sk-proj-" + t, t)),
                token.map(t -> new Embedded("sk-ant-api03-" + t, t)),
                Combinators.combine(Arbitraries.of("Bearer ", "bearer ", "BEARER  "), token).as((b, t) -> new Embedded(b + t, t)),
                Combinators.combine(Arbitraries.of("Authorization: ", "authorization=", "\"Authorization\": \""),
                        Arbitraries.of("Bearer ", "Basic ", ""), base64).as((h, s, t) -> new Embedded(h + s + t, t)),
                Combinators.combine(keyName, separator, anyValue).as((n, s, v) -> new Embedded(n + s + v, v)),
                Combinators.combine(word, Arbitraries.of(" ", ": ", "=", " \""), Arbitraries.oneOf(hex, base64))
                        .as((w, s, t) -> new Embedded(w + s + t, t)),
                Combinators.combine(scheme, userinfoPart, userinfoPart).as((sc, user, pass) ->
                        new Embedded(sc + "://" + user + ":" + pass + "@llm.example.com/v1", user + ":" + pass)));
    }

    private static String join(java.util.List<Character> chars) {
        StringBuilder text = new StringBuilder(chars.size());
        chars.forEach(text::append);
        return text.toString();
    }
}
