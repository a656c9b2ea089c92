using PocketTts.Text.Normalization;

namespace PocketTts.Tests.Unit.Text.Normalization;

public class EnglishNormalizerTests
{
    private static readonly ITextNormalizer English = TextNormalizers.English;

    public static TheoryData<string, string> Cases => EnglishNormalizerCases.All;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Speaks_the_written_form(string written, string spoken) => English.Normalize(written).ShouldBe(spoken);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Leaves_spoken_text_unchanged(string written, string spoken)
    {
        _ = written;
        English.Normalize(spoken).ShouldBe(spoken);
    }

    [Fact]
    public void The_table_covers_at_least_sixty_cases() => EnglishNormalizerCases.All.Count.ShouldBeGreaterThanOrEqualTo(60);

    [Fact]
    public void Keeps_sentence_punctuation_around_numbers()
    {
        English.Normalize("It was 5. Then 6! Or 7? Maybe 8... or 9, 10; 11: done.")
            .ShouldBe("It was five. Then six! Or seven? Maybe eight... or nine, ten; eleven: done.");
    }

    [Fact]
    public void Reads_a_long_mixed_text()
    {
        English.Normalize("On Jan 3rd, 2024 at 7:30 pm, Dr. Lee paid $12.50 for 2 kg of apples & 50% off.")
            .ShouldBe("On Jan third, twenty twenty-four at seven thirty P M, Doctor Lee paid twelve dollars and fifty cents "
                + "for two kilograms of apples and fifty percent off.");
    }

    [Fact]
    public void Reads_numbers_too_long_for_a_cardinal_digit_by_digit() =>
        English.Normalize("1234567890123456789").ShouldBe("One two three four five six seven eight nine zero one two three four five six seven eight nine");

    [Fact]
    public void Rejects_null() => Should.Throw<ArgumentNullException>(() => English.Normalize(null!));
}
