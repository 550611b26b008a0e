package dev.tierflow.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ReplayLoaderTest {

    private static final Path RESOURCES = Path.of("src/test/resources/replay");

    @Test
    void readsRouterBenchsWideCsv() {
        ReplayIndex index = ReplayLoader.load(RESOURCES.resolve("routerbench-wide.csv"), ReplayOptions.detect());

        assertThat(index.promptCount()).isEqualTo(3);
        assertThat(index.models()).containsExactly("claude-instant-v1", "gpt-4-1106-preview");
        assertThat(index.category("mmlu-astronomy.val.0")).contains("mmlu-astronomy");
        assertThat(index.outcome("mt-bench.2", "claude-instant-v1")).contains(
                new RecordedOutcome("claude-instant-v1", 0.85, 15L, null, null, "an old silent pond", null));
        assertThat(index.outcome("mt-bench.2", "gpt-4-1106-preview")).as("empty cells: not recorded").isEmpty();
    }

    @Test
    void readsWideJsonlWithTokenColumns() {
        ReplayIndex index = ReplayLoader.load(RESOURCES.resolve("wide.jsonl"), ReplayOptions.detect());

        assertThat(index.outcome("p1", "small-model")).contains(new RecordedOutcome("small-model", 1.0, null, 120L, 40L, null, null));
        assertThat(index.outcome("p2", "small-model")).contains(new RecordedOutcome("small-model", 0.0, null, 800L, 1024L, null, null));
        assertThat(index.outcome("p2", "big-model")).as("a cost written as text, 2.5 µ$ rounded to even")
                .contains(new RecordedOutcome("big-model", 0.9, 2L, 800L, 610L, null, null));
        assertThat(index.category("p2")).contains("plan");
    }

    @Test
    void readsLongCsv() {
        ReplayIndex index = ReplayLoader.load(RESOURCES.resolve("long.csv"), ReplayOptions.detect());

        assertThat(index.promptCount()).isEqualTo(3);
        assertThat(index.outcome("p1", "claude-instant-v1")).contains(new RecordedOutcome("claude-instant-v1", 1.0, 123L,
                100L, 20L, "{\"invoice_number\": \"INV-7\"}", null));
        assertThat(index.outcome("p1", "gpt-4")).as("0.5 µ$ rounds to even: 0").map(RecordedOutcome::costMicros).contains(0L);
        assertThat(index.outcome("p2", "claude-instant-v1")).as("1.5 µ$ rounds to even: 2").map(RecordedOutcome::costMicros).contains(2L);
        assertThat(index.outcome("p2", "gpt-4")).map(RecordedOutcome::score).as("recorded as written").contains(1.3);
        assertThat(index.category("p3")).contains("summarize");
    }

    @Test
    void readsLongJsonl() {
        ReplayIndex index = ReplayLoader.load(RESOURCES.resolve("long.jsonl"), ReplayOptions.detect());

        assertThat(index.outcome("q1", "m-a")).contains(new RecordedOutcome("m-a", 0.75, 2L, 50L, 10L, "ok", 420L));
        assertThat(index.outcome("q1", "m-b")).contains(new RecordedOutcome("m-b", -0.2, 4L, null, null, null, null));
        assertThat(index.outcome("q2", "m-a")).contains(new RecordedOutcome("m-a", 1.0, null, 75L, 30L, null, null));
        assertThat(index.category("q1")).isEmpty();
    }

    @Test
    void nanMeansNotRecordedInANumberButIsTextInAResponse() throws IOException {
        ReplayIndex index = read("""
                {"prompt_id": "a", "model": "m", "score": NaN, "cost_usd": 0.000001, "response": "NaN"}
                {"prompt_id": "b", "model": "m", "score": "nan", "cost_usd": NaN, "input_tokens": 5}
                """, "l.jsonl");

        assertThat(index.outcome("a", "m")).contains(new RecordedOutcome("m", null, 1L, null, null, "NaN", null));
        assertThat(index.outcome("b", "m")).contains(new RecordedOutcome("m", null, null, 5L, null, null, null));
    }

    @Test
    void theFileTypeIsSniffedWhenTheNameDoesNotTell() throws IOException {
        ReplayIndex jsonl = read("  {\"prompt_id\": \"a\", \"model\": \"m\", \"score\": 1, \"cost_usd\": 0.000001}\n", "data.txt");
        ReplayIndex csv = read("prompt_id,model,score,cost_usd\na,m,1,0.000001\n", "data.txt");

        assertThat(jsonl.outcome("a", "m")).map(RecordedOutcome::costMicros).contains(1L);
        assertThat(csv.outcome("a", "m")).map(RecordedOutcome::costMicros).contains(1L);
    }

    @Test
    void explicitOptionsNameTheIdAndCategoryColumns() throws IOException {
        ReplayOptions options = ReplayOptions.detect().withLayout(ReplayLayout.WIDE).withFileType(ReplayFileType.CSV)
                .withIdColumn("id").withCategoryColumn("dataset");

        ReplayIndex index = ReplayLoader.read(new StringReader("id,dataset,m,m|total_cost\nx,hellaswag,1,0.00002\n"),
                "inline", options);

        assertThat(index.category("x")).contains("hellaswag");
        assertThat(index.outcome("x", "m")).map(RecordedOutcome::costMicros).contains(20L);
    }

    @Test
    void aNamedCategoryColumnMustExist() {
        ReplayOptions options = ReplayOptions.detect().withCategoryColumn("dataset");

        assertMalformed(() -> ReplayLoader.read(new StringReader("sample_id,m,m|total_cost\nx,1,0.1\n"), "w.csv", options),
                1, "no category column 'dataset' (columns: sample_id, m, m|total_cost)");
    }

    @Test
    void aCsvRowWithTheWrongNumberOfCellsIsNamedByItsFirstLine() {
        String csv = """
                sample_id,prompt,m,m|total_cost
                a,"two
                lines",1,0.1
                b,short,1
                """;

        assertMalformed(() -> read(csv, "w.csv"), 4, "has 3 cells, the header has 4");
    }

    @Test
    void anUnterminatedQuoteIsNamedWhereItsRecordStarts() {
        assertMalformed(() -> read("prompt_id,model,score,cost_usd\na,m,1,0.1\nb,\"m,1,0.1\n", "l.csv"), 3,
                "not readable as CSV: Missing closing quote for value");
    }

    @Test
    void aScoreThatIsNotANumberIsNamed() {
        assertMalformed(() -> read("prompt_id,model,score,cost_usd\na,m,1,0.1\nb,m,high,0.1\n", "l.csv"), 3,
                "score must be a score, was 'high'");
    }

    @Test
    void aNegativeCostIsRefused() {
        assertMalformed(() -> read("prompt_id,model,score,cost_usd\na,m,1,-0.1\n", "l.csv"), 2,
                "cost_usd must not be negative, was -0.1");
    }

    @Test
    void aFractionalTokenCountIsRefusedButAWholeDecimalIsNot() throws IOException {
        assertMalformed(() -> read("prompt_id,model,score,input_tokens\na,m,1,12.5\n", "l.csv"), 2,
                "input_tokens must be a whole number >= 0, was 12.5");
        assertThat(read("prompt_id,model,score,input_tokens\na,m,1,12.0\n", "l.csv").outcome("a", "m"))
                .map(RecordedOutcome::inputTokens).contains(12L);
    }

    @Test
    void aPromptRecordedTwiceIsRefusedWithBothLines() {
        assertMalformed(() -> read("sample_id,m,m|total_cost\na,1,0.1\nb,1,0.1\na,0,0.2\n", "w.csv"), 4,
                "prompt 'a' was already recorded on line 2");
        assertMalformed(() -> read("prompt_id,model,score,cost_usd\na,m,1,0.1\na,n,1,0.1\na,m,0,0.1\n", "l.csv"), 4,
                "prompt 'a' and model 'm' were already recorded on line 2");
    }

    @Test
    void aMalformedJsonlLineIsNamed() {
        String jsonl = """
                {"prompt_id": "a", "model": "m", "score": 1, "cost_usd": 0.1}

                {"prompt_id": "b", "model": "m", "score": 1, "cost_usd": 0.1
                """;

        assertThatThrownBy(() -> read(jsonl, "l.jsonl"))
                .isInstanceOfSatisfying(MalformedReplayFileException.class, e -> assertThat(e.line()).isEqualTo(3))
                .hasMessageStartingWith("malformed replay file l.jsonl line 3: not valid JSON");
    }

    @Test
    void aJsonlLineMustBeAnObjectOfScalars() {
        assertMalformed(() -> read("[1, 2]\n", "l.jsonl"), 1, "is not a JSON object");
        assertMalformed(() -> read("{\"prompt_id\": \"a\", \"model\": \"m\", \"score\": {\"v\": 1}, \"cost_usd\": 1}\n", "l.jsonl"),
                1, "field 'score' must be a text, a number or null, was OBJECT");
    }

    @Test
    void anUnknownModelFieldIsRefusedOnTheHeaderLine() {
        assertMalformed(() -> read("sample_id,m,m|costs\na,1,0.1\n", "w.csv"), 1,
                "column 'm|costs': unknown model field 'costs' (known: total_cost, input_tokens, output_tokens, model_response, latency_ms)");
    }

    @Test
    void aModelNeedsAScoreColumnAndACostOrTokens() {
        assertMalformed(() -> read("sample_id,m|total_cost\na,0.1\n", "w.csv"), 1,
                "no column 'm' (the score of model 'm'); columns: sample_id, m|total_cost");
        assertMalformed(() -> read("sample_id,m,m|model_response\na,1,hi\n", "w.csv"), 1,
                "model 'm' needs a cost column 'm|total_cost' or token columns 'm|input_tokens', 'm|output_tokens'");
    }

    @Test
    void aFileOfNeitherLayoutIsRefused() {
        assertMalformed(() -> read("id,answer\na,b\n", "x.csv"), 1,
                "cannot tell the layout: a long file has a column 'model', a wide file per-model columns such as "
                        + "'<model>|total_cost'; columns: id, answer");
    }

    @Test
    void anEmptyFileIsRefused() {
        assertMalformed(() -> read("", "x.csv"), 1, "is empty: expected a header row naming the columns");
        assertMalformed(() -> read("prompt_id,model,score,cost_usd\n", "x.csv"), 0, "has no records");
    }

    private static ReplayIndex read(String text, String source) throws IOException {
        return ReplayLoader.read(new StringReader(text), source, ReplayOptions.detect());
    }

    private static void assertMalformed(ThrowingCallable load, long line, String problem) {
        assertThatThrownBy(load)
                .isInstanceOfSatisfying(MalformedReplayFileException.class, e -> assertThat(e.line()).isEqualTo(line))
                .hasMessageEndingWith(": " + problem);
    }
}
