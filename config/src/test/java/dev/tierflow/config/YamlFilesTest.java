package dev.tierflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlFilesTest {

    record Limits(@JsonProperty("name") String name, @JsonProperty("max") Integer max, @JsonProperty("items") List<Item> items,
                  @JsonProperty("tags") Map<String, String> tags) {
    }

    record Item(@JsonProperty("size") int size) {
    }

    private static Limits parse(String yaml) {
        return YamlFiles.parse(yaml, Limits.class, problems -> new InvalidConfigException("limits file", "test.yaml", problems), null);
    }

    private static List<String> problemsOf(String yaml) {
        try {
            parse(yaml);
        } catch (InvalidConfigException e) {
            return e.problems();
        }
        throw new AssertionError("no problem found in: " + yaml);
    }

    @Test
    void readsADocument() {
        assertThat(parse("name: a\nmax: 3\nitems: [{size: 1}]\n")).isEqualTo(new Limits("a", 3, List.of(new Item(1)), null));
    }

    @Test
    void noDocumentIsNullForTheCallerToJudge() {
        assertThat(parse("")).isNull();
        assertThat(parse("# only a comment\n")).isNull();
    }

    @Test
    void unknownFieldIsNamedWithWhatIsKnownThere() {
        assertThat(problemsOf("items: [{size: 1, colour: red}]\n")).containsExactly("items[0].colour: unknown field (known fields here: size)");
    }

    @Test
    void keyGivenTwiceIsRefused() {
        assertThat(problemsOf("tags: {a: x, a: y}\n")).containsExactly("tags.a: is listed twice");
    }

    @Test
    void wrongKindOfValueIsNamed() {
        assertThat(problemsOf("max: many\n")).containsExactly("max: must be a number, was 'many'");
        assertThat(problemsOf("name: [a, b]\n")).containsExactly("name: must be text");
        assertThat(problemsOf("items: {size: 1}\n")).containsExactly("items: must be a list");
        assertThat(problemsOf("items: [{size: null}]\n")).singleElement().asString().startsWith("items[0].size: ");
    }

    @Test
    void brokenYamlSaysWhere() {
        assertThat(problemsOf("name: 'unterminated\n")).singleElement().asString().startsWith("(file): not valid YAML at line ");
    }

    @Test
    void callersOwnWordsReplaceJacksons() {
        assertThatThrownBy(() -> YamlFiles.parse("max: many\n", Limits.class, problems -> new InvalidConfigException("limits file", "t.yaml", problems),
                (field, e) -> field.equals("max") ? "must be how many items at most" : null))
                .hasMessage("invalid limits file t.yaml:\n  - max: must be how many items at most");
    }
}
