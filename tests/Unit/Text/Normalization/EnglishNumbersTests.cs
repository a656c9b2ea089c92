using PocketTts.Text.Normalization;

namespace PocketTts.Tests.Unit.Text.Normalization;

public class EnglishNumbersTests
{
    [Theory]
    [InlineData(0, "zero")]
    [InlineData(19, "nineteen")]
    [InlineData(20, "twenty")]
    [InlineData(99, "ninety-nine")]
    [InlineData(101, "one hundred one")]
    [InlineData(1_000, "one thousand")]
    [InlineData(1_000_001, "one million one")]
    [InlineData(999_999_999_999, "nine hundred ninety-nine billion nine hundred ninety-nine million nine hundred ninety-nine thousand nine hundred ninety-nine")]
    [InlineData(1_000_000_000_000, "one trillion")]
    [InlineData(999_999_999_999_999_999, "nine hundred ninety-nine quadrillion nine hundred ninety-nine trillion nine hundred ninety-nine billion nine hundred ninety-nine million nine hundred ninety-nine thousand nine hundred ninety-nine")]
    public void Cardinal(long n, string words) => EnglishNumbers.Cardinal(n).ShouldBe(words);

    [Theory]
    [InlineData("one", "first")]
    [InlineData("twenty", "twentieth")]
    [InlineData("twenty-one", "twenty-first")]
    [InlineData("one hundred two", "one hundred second")]
    [InlineData("one million", "one millionth")]
    [InlineData("eight", "eighth")]
    [InlineData("nine", "ninth")]
    [InlineData("zero", "zeroth")]
    public void Ordinal(string cardinal, string ordinal) => EnglishNumbers.Ordinal(cardinal).ShouldBe(ordinal);

    [Theory]
    [InlineData(1000, "one thousand")]
    [InlineData(1066, "ten sixty-six")]
    [InlineData(1100, "eleven hundred")]
    [InlineData(1809, "eighteen oh nine")]
    [InlineData(2009, "two thousand nine")]
    [InlineData(2024, "twenty twenty-four")]
    [InlineData(2099, "twenty ninety-nine")]
    public void Year(int year, string words) => EnglishNumbers.Year(year).ShouldBe(words);

    [Fact]
    public void Every_number_below_ten_thousand_reads_as_words_without_digits_or_double_spaces()
    {
        for (long n = 0; n < 10_000; n++)
        {
            string words = EnglishNumbers.Cardinal(n);
            words.ShouldNotContain("  ");
            words.ShouldNotBeEmpty();
            words.Any(char.IsDigit).ShouldBeFalse();
            words.ShouldBe(words.Trim());
        }
    }
}
