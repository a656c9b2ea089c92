using System.Text;
using PocketTts.Text;

namespace PocketTts.Tests.Unit.Text;

public class PythonStringTests
{
    // The characters for which CPython's str.isspace() is true (Unicode 14).
    private const string PythonWhitespace = "\t\n\u000B\u000C\r\u001C\u001D\u001E\u001F \u0085\u00A0\u1680"
        + "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000";

    [Fact]
    public void IsSpace_is_true_exactly_for_python_whitespace()
    {
        for (int c = 0; c <= char.MaxValue; c++)
            PythonString.IsSpace((char)c).ShouldBe(PythonWhitespace.Contains((char)c, StringComparison.Ordinal), $"U+{c:X4}");
    }

    [Theory]
    [InlineData("  a b  ", "a b")]
    [InlineData("\u00A0\u3000a\u200B", "a\u200B")]
    [InlineData("\u001Ex\u001F", "x")]
    [InlineData("   ", "")]
    public void Strip_removes_python_whitespace_at_both_ends(string text, string expected)
    {
        PythonString.Strip(text).ShouldBe(expected);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("   ", 0)]
    [InlineData("one", 1)]
    [InlineData(" one  two\tthree\u00A0four ", 4)]
    [InlineData("zero\u200Bwidth", 1)]
    public void WordCount_is_the_length_of_python_split(string text, int expected)
    {
        PythonString.WordCount(text).ShouldBe(expected);
    }

    [Theory]
    [InlineData("ß", "SS")]
    [InlineData("ﬁ", "FI")]
    [InlineData("ǆ", "Ǆ")]
    [InlineData("ǅ", "Ǆ")]
    [InlineData("ŉ", "ʼN")]
    [InlineData("ı", "I")]
    [InlineData("ſ", "S")]
    [InlineData("\u0390", "\u0399\u0308\u0301")]
    [InlineData("é", "É")]
    [InlineData("E", "E")]
    [InlineData("7", "7")]
    [InlineData("ⓐ", "Ⓐ")]
    [InlineData("𐐨", "𐐀")]
    public void Upper_uses_the_full_case_mapping(string c, string expected)
    {
        PythonUpper.Of(Rune.GetRuneAt(c, 0)).ShouldBe(expected);
    }
}
