package dev.tierflow.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** What any replay file gives back: recorded costs to the micro-dollar, recorded texts character for character. */
class ReplayFileProperties {

    @Property(tries = 300, seed = "20261123")
    void aCostOfWholeMicroDollarsLoadsExactlyFromCsvAndJsonl(@ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long micros)
            throws IOException {
        String usd = BigDecimal.valueOf(micros, 6).toString(); // may be scientific, e.g. 1E-6: both formats accept it

        ReplayIndex csv = read("prompt_id,model,score,cost_usd\np,m,1," + usd + "\n", "r.csv");
        ReplayIndex jsonl = read("{\"prompt_id\": \"p\", \"model\": \"m\", \"score\": 1, \"cost_usd\": " + usd + "}\n", "r.jsonl");

        assertThat(csv.outcome("p", "m")).map(RecordedOutcome::costMicros).contains(micros);
        assertThat(jsonl.outcome("p", "m")).map(RecordedOutcome::costMicros).contains(micros);
    }

    @Property(tries = 300, seed = "20261124")
    void aHalfMicroDollarRoundsToTheEvenNeighbour(@ForAll @LongRange(min = 0, max = 1_000_000_000L) long micros)
            throws IOException {
        String usd = BigDecimal.valueOf(micros * 10 + 5, 7).toPlainString(); // micros + 0.5

        ReplayIndex index = read("prompt_id,model,score,cost_usd\np,m,1," + usd + "\n", "r.csv");

        long even = micros % 2 == 0 ? micros : micros + 1;
        assertThat(index.outcome("p", "m")).map(RecordedOutcome::costMicros).contains(even);
    }

    @Property(tries = 200, seed = "20261125")
    void recordedResponsesSurviveQuotingInAWideCsv(@ForAll("texts") List<String> responses) throws IOException {
        StringBuilder csv = new StringBuilder("sample_id,m,m|total_cost,m|model_response\n");
        for (int i = 0; i < responses.size(); i++) {
            csv.append("p").append(i).append(",1,0.001,").append(quoted(responses.get(i))).append('\n');
        }

        ReplayIndex index = read(csv.toString(), "w.csv");

        for (int i = 0; i < responses.size(); i++) {
            String expected = responses.get(i).isEmpty() ? null : responses.get(i); // an empty cell is "not recorded"
            assertThat(index.outcome("p" + i, "m")).map(RecordedOutcome::response).isEqualTo(Optional.ofNullable(expected));
        }
    }

    @Provide
    Arbitrary<List<String>> texts() {
        return Arbitraries.strings().withChars("anb ,\"\n\r|{}é").ofMaxLength(40).list().ofMinSize(1).ofMaxSize(8);
    }

    /** RFC 4180 quoting: the whole cell in quotes, quotes doubled. */
    private static String quoted(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static ReplayIndex read(String text, String source) throws IOException {
        return ReplayLoader.read(new StringReader(text), source, ReplayOptions.detect());
    }
}
