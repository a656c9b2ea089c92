using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

public class TextTokenizersTests
{
    [Theory]
    [InlineData("tokenizer.json", typeof(JsonTokenizer))]
    [InlineData("tokenizer.model", typeof(SentencePieceTokenizer))]
    public void The_suffix_picks_the_format(string file, Type expected)
    {
        ITextTokenizer tokenizer = TextTokenizers.Load(TokenizerFixtures.FixturePath(file));

        tokenizer.ShouldBeOfType(expected);
        tokenizer.Encode("Hello world!").ShouldBe([1402, 545, 299, 818, 281]);
    }

    [Theory]
    [InlineData("tokenizer.json")]
    [InlineData("tokenizer.model")]
    public void Bytes_without_a_name_get_the_name_of_their_format(string file) =>
        TextTokenizers.FileNameFor(File.ReadAllBytes(TokenizerFixtures.FixturePath(file))).ShouldBe(file);

    [Fact]
    public void A_device_a_fifo_or_an_oversized_file_is_refused_before_it_is_read()
    {
        // tokenizer_path: /dev/zero was read until memory ran out.
        Should.Throw<InvalidDataException>(() => TextTokenizers.Load("/dev/zero")).Message.ShouldBe(
            "/dev/zero: not a regular file but a device, FIFO or socket; the tokenizer model must be a regular file.");
        DirectoryInfo folder = Directory.CreateTempSubdirectory("tokenizer-");
        try
        {
            string fifo = Path.Combine(folder.FullName, "tokenizer.json");
            SpecialFiles.Mkfifo(fifo);
            Should.Throw<InvalidDataException>(() => TextTokenizers.Load(fifo)).Message.ShouldBe(
                $"{fifo}: not a regular file but a device, FIFO or socket; the tokenizer.json must be a regular file.");
            string large = Path.Combine(folder.FullName, "tokenizer.model");
            using (FileStream file = File.Create(large))
                file.SetLength(SentencePieceTokenizer.MaxFileBytes + 1L);
            Should.Throw<InvalidDataException>(() => TextTokenizers.Load(large)).Message.ShouldBe(
                $"{large}: more than 67108864 bytes; the tokenizer model may have at most 67108864 bytes.");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_byte_order_mark_and_white_space_before_a_json_object_still_mean_json() =>
        TextTokenizers.FileNameFor("\uFEFF \n {\"model\": {}}"u8).ShouldBe("tokenizer.json");

    [Fact]
    public void A_json_file_that_is_not_a_tokenizer_is_rejected_with_its_name()
    {
        string path = TokenizerFixtures.FixturePath("e2e.json");

        Should.Throw<InvalidDataException>(() => TextTokenizers.Load(path)).Message.ShouldContain(path);
    }
}
