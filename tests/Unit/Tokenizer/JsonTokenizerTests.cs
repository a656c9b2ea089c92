using System.Text.Json;
using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

public class JsonTokenizerTests
{
    public static TheoryData<string, int> EncodeCases => TokenizerJsonFixtures.VariantAndIndex("cases");

    public static TheoryData<string, int> DecodeCases => TokenizerJsonFixtures.VariantAndIndex("decode");

    [Theory]
    [MemberData(nameof(EncodeCases))]
    public void Encode_matches_the_tokenizers_library(string variant, int index)
    {
        JsonElement c = TokenizerJsonFixtures.Variant(variant).GetProperty("cases")[index];

        int[] ids = TokenizerJsonFixtures.Tokenizer(variant).Encode(c.GetProperty("text").GetString()!);

        ids.ShouldBe(TokenizerFixtures.Ints(c.GetProperty("ids")));
    }

    [Theory]
    [MemberData(nameof(EncodeCases))]
    public void Decode_of_the_encoding_matches_the_tokenizers_library(string variant, int index)
    {
        JsonElement c = TokenizerJsonFixtures.Variant(variant).GetProperty("cases")[index];

        string decoded = TokenizerJsonFixtures.Tokenizer(variant).Decode(TokenizerFixtures.Ints(c.GetProperty("ids")));

        decoded.ShouldBe(c.GetProperty("decoded").GetString());
    }

    [Theory]
    [MemberData(nameof(DecodeCases))]
    public void Decode_matches_the_tokenizers_library(string variant, int index)
    {
        JsonElement c = TokenizerJsonFixtures.Variant(variant).GetProperty("decode")[index];

        string decoded = TokenizerJsonFixtures.Tokenizer(variant).Decode(TokenizerFixtures.Ints(c.GetProperty("ids")));

        decoded.ShouldBe(c.GetProperty("decoded").GetString());
    }

    public static TheoryData<int, string> CrosscheckCases
    {
        get
        {
            var data = new TheoryData<int, string>();
            for (int i = 0; i < TokenizerFixtures.Cases.GetProperty("encode").GetArrayLength(); i++)
            {
                data.Add(i, "A");
                data.Add(i, "B");
            }
            return data;
        }
    }

    /// <summary>
    /// The ids that the fixture's own cross-check got from the Rust library (tokenizer_cases.json) for the json twins of
    /// SentencePiece variants A (no dummy prefix: "never") and B (dummy prefix: "always"); C's nmt_nfkc normaliser is
    /// outside the supported family.
    /// </summary>
    [Theory]
    [MemberData(nameof(CrosscheckCases))]
    public void Encode_matches_the_rust_ids_of_the_fixture_crosscheck(int index, string sentencePieceVariant)
    {
        JsonElement c = TokenizerFixtures.Cases.GetProperty("encode")[index];
        JsonTokenizer tokenizer = TokenizerJsonFixtures.Tokenizer(sentencePieceVariant == "A" ? "never" : "always");

        int[] ids = tokenizer.Encode(c.GetProperty("text").GetString()!);

        ids.ShouldBe(TokenizerFixtures.Ints(c.GetProperty("tokenizer_json").GetProperty(sentencePieceVariant).GetProperty("rust_tokenizers")));
    }

    [Fact]
    public void The_fixture_json_gives_the_sentencepiece_ids_wherever_the_crosscheck_says_they_agree()
    {
        JsonTokenizer json = TokenizerJsonFixtures.Tokenizer("never");
        SentencePieceTokenizer sentencePiece = TokenizerFixtures.Tokenizer("A");
        int agree = 0;

        foreach (JsonElement c in TokenizerFixtures.Cases.GetProperty("encode").EnumerateArray())
        {
            string text = c.GetProperty("text").GetString()!;
            if (json.Encode(text).SequenceEqual(sentencePiece.Encode(text)))
                agree++;
        }

        json.VocabSize.ShouldBe(sentencePiece.VocabSize);
        agree.ShouldBe(67);   // the fixture README's cross-check: 67 of 74 agree for variant A
    }

    [Fact]
    public void Special_tokens_in_the_text_are_matched_before_the_model_and_left_out_by_decode()
    {
        JsonTokenizer tokenizer = TokenizerJsonFixtures.Tokenizer("never");

        int[] ids = tokenizer.Encode("<s>Hello</s>");

        ids.ShouldBe([1, 1402, 2]);
        tokenizer.Decode(ids).ShouldBe("Hello");
    }

    [Fact]
    public void Ids_outside_the_vocabulary_are_rejected_by_decode()
    {
        JsonTokenizer tokenizer = TokenizerJsonFixtures.Tokenizer("never");

        Should.Throw<ArgumentOutOfRangeException>(() => tokenizer.Decode([4000]));
        Should.Throw<ArgumentOutOfRangeException>(() => tokenizer.Decode([-1]));
    }
}
