using System.Text.Json;
using PocketTts.Tests.Unit.Tokenizer;
using PocketTts.Text;

namespace PocketTts.Tests.Unit.Text;

public class TextPromptTests
{
    public static TheoryData<int> FixtureCases => TokenizerFixtures.Indices("prepare_text_prompt");

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Prepare_matches_the_reference(int index)
    {
        JsonElement c = TokenizerFixtures.Cases.GetProperty("prepare_text_prompt")[index];
        string text = c.GetProperty("text").GetString()!;
        bool pad = c.GetProperty("pad_with_spaces_for_short_inputs").GetBoolean();
        bool removeSemicolons = c.GetProperty("remove_semicolons").GetBoolean();

        if (c.TryGetProperty("error", out JsonElement error))
        {
            error.GetString().ShouldBe("ValueError: Text prompt cannot be empty");
            var e = Should.Throw<InvalidInputException>(() => TextPrompt.Prepare(text, new TextRules(pad, removeSemicolons)));
            e.Reason.ShouldStartWith("is empty or only whitespace");
            e.Subject.ShouldBe("text");
            return;
        }
        TextPrompt prompt = TextPrompt.Prepare(text, new TextRules(pad, removeSemicolons));

        prompt.Text.ShouldBe(c.GetProperty("result").GetString());
        prompt.FramesAfterEosGuess.ShouldBe(c.GetProperty("frames_after_eos_guess").GetInt32());
    }

    [Theory]
    [InlineData("a   b", "A  b.")]                         // one pass: three spaces become two
    [InlineData("ﬃ is a ligature", "FFI is a ligature.")]    // upper-casing lengthens the first character
    [InlineData("ᾳ", "ΑΙ.")]                                // titlecase-bearing Greek: full mapping, not simple
    [InlineData("𝒶 math letter", "𝒶 math letter.")]        // surrogate pair with no upper case: left as is
    [InlineData("𐐨 deseret", "𐐀 deseret.")]              // surrogate pair with an upper case
    [InlineData("x ½", "X ½.")]                             // No counts as alphanumeric
    [InlineData("x )", "X ).")]                              // a closer alone is not a sentence mark
    [InlineData("x\u001Fy", "X\u001Fy.")]                   // Python whitespace inside the text is kept
    [InlineData("\u001Fx\u001C", "X.")]                      // ...and stripped at the ends (.NET's Trim would not)
    [InlineData("\u200Bx", "\u200Bx.")]                      // U+200B is not whitespace: not stripped, not upper-cased
    public void Prepare_follows_python_string_semantics(string text, string expected)
    {
        TextPrompt.Prepare(text, new TextRules(PadWithSpaces: false, RemoveSemicolons: false)).Text.ShouldBe(expected);
    }

    [Fact]
    public void Short_texts_are_padded_and_get_a_longer_eos_guess()
    {
        TextPrompt shortPrompt = TextPrompt.Prepare("one two three four", new TextRules(PadWithSpaces: true, RemoveSemicolons: false));
        TextPrompt longPrompt = TextPrompt.Prepare("one two three four five", new TextRules(PadWithSpaces: true, RemoveSemicolons: false));

        shortPrompt.ShouldBe(new TextPrompt("        One two three four.", 3));
        longPrompt.ShouldBe(new TextPrompt("One two three four five.", 1));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t\n\u00A0\u3000\u2028")]
    public void Empty_or_whitespace_text_is_rejected(string text)
    {
        var e = Should.Throw<InvalidInputException>(() => TextPrompt.Prepare(text, new TextRules(PadWithSpaces: false, RemoveSemicolons: false)));

        e.Message.ShouldBe("text: is empty or only whitespace: give the text to speak.");
    }
}
