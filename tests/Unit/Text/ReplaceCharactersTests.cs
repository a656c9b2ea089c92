using PocketTts.Config;
using PocketTts.Text;

namespace PocketTts.Tests.Unit.Text;

/// <summary>
/// The 3.x configuration key <c>replace_characters</c> (upstream #325), as the Dutch, German, Italian and Portuguese
/// configurations use it: the character map, then whitespace collapsed, then a comma, semicolon or colon right after
/// a sentence mark dropped, and an error when nothing is left. No upstream version of text_chunking.py that takes the
/// key could be read (see tests/Parity/Fixtures/README.md), so these rows are written from the change's description.
/// </summary>
public class ReplaceCharactersTests
{
    private static readonly KeyValuePair<string, string>[] DutchMap =
    [
        new("\"", ""), new("\u201c", ""), new("\u201d", ""), new("\u201e", ""), new("\u00ab", ""), new("\u00bb", ""),
        new("\u2019", "'"), new("\u2018", "'"), new("(", ""), new(")", ""), new("[", ""), new("]", ""),
    ];

    private static TextRules Rules(IReadOnlyList<KeyValuePair<string, string>> map) =>
        new(PadWithSpaces: false, RemoveSemicolons: false)
        {
            ReplaceCharacters = map,
        };

    [Theory]
    [InlineData("\u201eHallo!\u201d, zei hij.", "Hallo! zei hij.")]
    [InlineData("Hij zei \u00abja\u00bb (echt).", "Hij zei ja echt.")]
    [InlineData("Dat is Jan\u2019s fiets.", "Dat is Jan's fiets.")]
    [InlineData("Wat?\" ; Niets.", "Wat? Niets.")]
    [InlineData("Een  [lange]\t\tzin\nhier", "Een lange zin hier.")]
    [InlineData("Klaar.:  Ja", "Klaar. Ja.")]
    [InlineData("Zo\u2026, dus", "Zo\u2026 dus.")]
    [InlineData("Geen tekens om te vervangen, toch?", "Geen tekens om te vervangen, toch?")]
    public void Map_whitespace_and_stray_marks(string text, string expected) =>
        TextPrompt.Prepare(text, Rules(DutchMap)).Text.ShouldBe(expected);

    [Fact]
    public void Replacements_apply_in_the_configuration_order()
    {
        KeyValuePair<string, string>[] map = [new("a", "b"), new("b", "c")];

        TextPrompt.Prepare("a b", Rules(map)).Text.ShouldBe("C c.");
    }

    [Fact]
    public void A_text_the_map_empties_is_refused()
    {
        var e = Should.Throw<InvalidInputException>(() => TextPrompt.Prepare("\u201c( )\u201d", Rules(DutchMap)));

        e.Subject.ShouldBe("text");
        e.Message.ShouldContain("replace_characters");
    }

    [Fact]
    public void Without_a_map_whitespace_and_marks_are_left_as_before()
    {
        // 2.x and 3.x without the key: one pass of "two spaces to one", and ".," is kept.
        TextPrompt.Prepare("Klaar.,  ja", Rules([])).Text.ShouldBe("Klaar., ja.");
    }

    [Fact]
    public void The_dutch_configuration_applies_its_map()
    {
        ModelConfig dutch = ModelConfigLoader.LoadLanguage("dutch");

        TextRules rules = TextRules.For(dutch);

        rules.ReplaceCharacters.ShouldContain(new KeyValuePair<string, string>("\u2019", "'"));
        TextPrompt.Prepare("\u201cDag\u201d", rules).Text.ShouldBe("Dag.");
    }
}
