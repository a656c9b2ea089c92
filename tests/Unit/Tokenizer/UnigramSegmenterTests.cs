using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

public class UnigramSegmenterTests
{
    // TestModel ids: 0 <unk>, 1 <s>, 2 </s>, then the pieces in order from 3.

    [Theory]
    [InlineData(-1.5f, new[] { "ab" })]
    [InlineData(-2.5f, new[] { "a", "b" })]
    public void The_segmentation_with_the_highest_total_score_wins(float abScore, string[] expected)
    {
        SentencePieceTokenizer tokenizer = TestModel.WithPieces("a", "b").Add("ab", abScore).Normalizer().Load();

        tokenizer.Encode("ab").Select(tokenizer.IdToPiece).ShouldBe(expected);
    }

    [Fact]
    public void On_an_exact_tie_the_last_piece_that_starts_earliest_wins()
    {
        // "000" = 0+0+0 = 00+0 = 0+00 = -3 exactly. Candidates for each end position arrive by increasing start
        // and only a strictly greater score replaces the best, so the path ending in the piece that starts first wins.
        SentencePieceTokenizer tokenizer = new TestModel().Add("<unk>", 0, PieceType.Unknown).Add("0", -1f).Add("00", -2f).Normalizer().Load();

        tokenizer.Encode("000").Select(tokenizer.IdToPiece).ShouldBe(["0", "00"]);
    }

    [Fact]
    public void Without_byte_fallback_a_run_of_unknown_characters_is_one_unk()
    {
        SentencePieceTokenizer tokenizer = TestModel.WithPieces("a", "b").Normalizer().Load();

        tokenizer.Encode("axyb").ShouldBe([3, 0, 4]);
        tokenizer.Encode("xay").ShouldBe([0, 3, 0]);
        tokenizer.Decode([3, 0, 4]).ShouldBe("a \u2047 b");
    }

    [Fact]
    public void User_defined_symbols_are_kept_whole()
    {
        SentencePieceTokenizer tokenizer = TestModel.WithPieces("a", "<", "br", ">").Add("<br>", 0, PieceType.UserDefined).Normalizer().Load();

        tokenizer.Encode("a<br>").Select(tokenizer.IdToPiece).ShouldBe(["a", "<br>"]);
        tokenizer.Encode("<b").Select(tokenizer.IdToPiece).ShouldBe(["<", "<unk>"]);
    }

    [Fact]
    public void Unused_control_and_unknown_pieces_never_match_text()
    {
        SentencePieceTokenizer tokenizer = TestModel.WithPieces("a", "b", "<", "/", "s", ">")
            .Add("ab", 0f, PieceType.Unused).Normalizer().Load();

        tokenizer.Encode("ab").Select(tokenizer.IdToPiece).ShouldBe(["a", "b"]);
        tokenizer.Encode("</s>").Select(tokenizer.IdToPiece).ShouldBe(["<", "/", "s", ">"]);
    }
}
