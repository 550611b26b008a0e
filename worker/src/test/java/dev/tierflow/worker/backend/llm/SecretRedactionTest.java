package dev.tierflow.worker.backend.llm;

import static dev.tierflow.worker.backend.llm.SecretRedaction.redact;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link SecretRedaction} masks, and what it leaves, in error texts as providers and clients write them. */
class SecretRedactionTest {

    @Test
    void theUserinfoOfAUrlIsMaskedAndTheHostKept() {
        assertThat(redact("openai model gpt-4o at https://user:pass@llm.example.com/v1: HTTP 502"))
                .isEqualTo("openai model gpt-4o at https://***@llm.example.com/v1: HTTP 502");
        assertThat(redact("could not reach http://token@10.0.0.7:8000/v1")).isEqualTo("could not reach http://***@10.0.0.7:8000/v1");
        // an unencoded '@' in the password: everything up to the last '@' of the authority goes
        assertThat(redact("at https://bob:p@ss@host/v1")).isEqualTo("at https://***@host/v1");
    }

    @Test
    void aUrlWithoutUserinfoIsLeftAlone() {
        assertThat(redact("at https://api.openai.com/v1/chat?x=a@b")).isEqualTo("at https://api.openai.com/v1/chat?x=a@b");
    }

    @Test
    void openAiAndAnthropicKeysAreMaskedWhereverTheyStand() {
        assertThat(redact("HTTP 401 {\"error\": {\"message\": \"Incorrect API key provided: sk-proj-AbC123dEf456GhI789jKl\"}}"))
                .isEqualTo("HTTP 401 {\"error\": {\"message\": \"Incorrect API key provided: ***\"}}");
        assertThat(redact("key sk-ant-api03-Zx9_Yw8-Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0 was revoked"))
                .isEqualTo("key *** was revoked");
    }

    @Test
    void bearerAndAuthorizationValuesAreMaskedAndTheirNamesKept() {
        assertThat(redact("sent Authorization: Bearer abc.def-ghi_jkl (check the API key)"))
                .isEqualTo("sent Authorization: *** (check the API key)");
        assertThat(redact("{\"authorization\": \"Basic dXNlcjpwYXNzd29yZA==\"}")).isEqualTo("{\"authorization\": ***}");
        assertThat(redact("token was Bearer 0123456789abcdef")).isEqualTo("token was Bearer ***");
    }

    @Test
    void aCredentialsValueAfterItsNameIsMaskedWhateverItsLength() {
        assertThat(redact("GET /v1/models?api_key=abc123&model=x")).isEqualTo("GET /v1/models?api_key=***&model=x");
        assertThat(redact("header x-api-key: k1 rejected")).isEqualTo("header x-api-key: *** rejected");
        assertThat(redact("password=hunter2, user=bob")).isEqualTo("password=***, user=bob");
        assertThat(redact("{\"client_secret\": \"two words\"}")).isEqualTo("{\"client_secret\": ***}");
        assertThat(redact("X-Api-Key=Short")).isEqualTo("X-Api-Key=***");
    }

    @Test
    void aLongTokenAfterKeyTokenOrSecretIsMasked() {
        assertThat(redact("the key 3f9a0c4e8b7d6a5f4e3d2c1b0a998877 is unknown")).isEqualTo("the key *** is unknown");
        assertThat(redact("secret: QWxhZGRpbjpvcGVuIHNlc2FtZQ== expired")).isEqualTo("secret: *** expired");
    }

    @Test
    void otherWellKnownKeyFormatsAreMasked() {
        assertThat(redact("aws AKIAIOSFODNN7EXAMPLE denied")).isEqualTo("aws *** denied");
        assertThat(redact("google AIzaSyA-1234567890abcdefghijklmnopqrstu")).isEqualTo("google ***");
        assertThat(redact("gh ghp_16C7e42F292c6912E7710c838347Ae178B4a")).isEqualTo("gh ***");
        assertThat(redact("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJl ok")).isEqualTo("jwt *** ok");
    }

    @Test
    void ordinaryErrorTextIsLeftAsItIs() {
        String[] plain = {
                "anthropic model claude-haiku-4-5 at https://api.anthropic.com/v1: HTTP 529 overloaded_error (3 attempts)",
                "max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5",
                "HTTP 401 (empty body) (check the API key)",
                "TIMEOUT: no complete answer within PT30S",
                "task t-1 has no inline prompt: the openai backend sends ModelRequest.prompt to the model",
        };
        for (String text : plain) {
            assertThat(redact(text)).isEqualTo(text);
        }
    }

    @Test
    void oneCredentialsMatchDoesNotHideAnother() {
        // "Bearer" is taken as the token's value, and the bearer token after it goes too
        assertThat(redact("token=Bearer 0123456789abcdefXYZ")).isEqualTo("token=*** ***");
        assertThat(redact("token=secret: hunter2 left")).isEqualTo("token=*** *** left");
    }

    @Test
    void aVeryLongTextIsCutBeforeItIsRedacted() {
        String text = "sk-" + "a".repeat(20) + " " + "b".repeat(SecretRedaction.MAX_LENGTH);

        assertThat(redact(text)).isEqualTo("*** " + "b".repeat(SecretRedaction.MAX_LENGTH - 24) + "... (cut)");
    }

    @Test
    void nullStaysNull() {
        assertThat(redact(null)).isNull();
    }
}
