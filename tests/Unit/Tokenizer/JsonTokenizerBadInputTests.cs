using System.Text;
using System.Text.Json.Nodes;
using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

/// <summary>A tokenizer.json is untrusted input: every defect is a clear exception, never a crash or a hang.</summary>
public class JsonTokenizerBadInputTests
{
    private const string Valid = """
        {
          "added_tokens": [{"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
          "normalizer": null,
          "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
          "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
          "model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["▁", -2.0], ["a", -1.0], ["▁a", -1.5]], "byte_fallback": false}
        }
        """;

    private static JsonTokenizer Load(string json) => JsonTokenizer.FromBytes(Encoding.UTF8.GetBytes(json));

    private static string Mutated(Action<JsonObject> change)
    {
        JsonObject root = JsonNode.Parse(Valid)!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    [Fact]
    public void The_valid_base_file_loads_and_encodes()
    {
        JsonTokenizer tokenizer = Load(Valid);

        tokenizer.Encode("a a").ShouldBe([3, 3]);
        tokenizer.Decode([3, 3]).ShouldBe("a a");
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"model\": }", "not valid JSON")]
    [InlineData("{} trailing", "not valid JSON")]
    [InlineData("[]", "the top level is not an object")]
    [InlineData("null", "the top level is not an object")]
    [InlineData("{}", "has no 'model'")]
    [InlineData("{\"model\": []}", "model is not an object")]
    [InlineData("{\"model\": {\"type\": 3}}", "model.type is not a string")]
    [InlineData("{\"model\": {\"type\": \"Unigram\"}}", "model has no 'vocab'")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"vocab\": {}}}", "model.vocab is not an array")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}", "model.vocab is empty")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\"]]}}", "model.vocab[0] is not a [piece, score] pair")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"vocab\": [[1, 0]]}}", "model.vocab[0][0] is not a string")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"\", 0]]}}", "model.vocab[0] is an empty piece")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", \"x\"]]}}", "model.vocab[0][1] is not a finite number")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", 1e400]]}}", "model.vocab[0][1] is not a finite number")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", 0], [\"a\", -1]]}}", "piece 'a' is in model.vocab twice (ids 0 and 1)")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"\\ud800\", 0]]}}", "model.vocab[0][0] is not valid text")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"unk_id\": 5, \"vocab\": [[\"a\", 0]]}}", "model.unk_id 5 is outside the vocabulary")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"unk_id\": 1.5, \"vocab\": [[\"a\", 0]]}}", "model.unk_id is not a 32-bit integer")]
    [InlineData("{\"model\": {\"type\": \"Unigram\", \"unk_id\": 0, \"vocab\": [[\"a\", 0]], \"byte_fallback\": 1}}", "model.byte_fallback is not true or false")]
    public void Malformed_files_are_invalid_data(string json, string message)
    {
        Should.Throw<InvalidDataException>(() => Load(json)).Message.ShouldContain(message);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_invalid_data()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Valid.Replace("\"a\"", "\"\u0001\"", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xFF;

        Should.Throw<InvalidDataException>(() => JsonTokenizer.FromBytes(bytes)).Message.ShouldContain("model.vocab[2][0] is not valid text");
    }

    [Fact]
    public void Deep_nesting_is_invalid_data()
    {
        string json = "{\"normalizer\": " + new string('[', 1000) + new string(']', 1000) + "}";

        Should.Throw<InvalidDataException>(() => Load(json)).Message.ShouldContain("not valid JSON");
    }

    [Fact]
    public void Overlong_pieces_are_invalid_data()
    {
        string json = Mutated(r => r["model"]!["vocab"]!.AsArray().Add(new JsonArray(new string('b', 257), -1.0)));

        Should.Throw<InvalidDataException>(() => Load(json)).Message.ShouldContain("model.vocab[4] is longer than 256 UTF-8 bytes");
    }

    [Fact]
    public void Files_over_the_size_limit_are_refused_before_reading()
    {
        string path = Path.GetTempFileName() + ".json";
        try
        {
            using (var file = File.Create(path))
                file.SetLength(64L << 20 | 1);   // sparse: nothing is written

            Should.Throw<InvalidDataException>(() => JsonTokenizer.Load(path)).Message.ShouldContain("at most 67108864 bytes");
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string, string> InvalidComponents => new()
    {
        { """{"pre_tokenizer": {"type": "Metaspace", "replacement": "ab"}}""", "pre_tokenizer.replacement 'ab' is not one character" },
        { """{"pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "sometimes"}}""", "prepend_scheme 'sometimes' is not always, first or never" },
        { """{"pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "add_prefix_space": false}}""", "add_prefix_space is false but prepend_scheme is not never" },
        { """{"pre_tokenizer": {"type": "Metaspace"}}""", "pre_tokenizer has no 'replacement'" },
        { """{"added_tokens": [{"id": "0", "content": "<unk>"}]}""", "added_tokens[0].id is not a 32-bit integer" },
        { """{"added_tokens": [3]}""", "added_tokens[0] is not an object" },
        { """{"decoder": {"type": "Strip", "content": " ", "start": -1, "stop": 0}}""", "decoder.start and .stop must not be negative" },
        { """{"decoder": {"type": "Replace", "pattern": {"String": ""}, "content": " "}}""", "decoder.pattern.String is empty" },
    };

    [Theory]
    [MemberData(nameof(InvalidComponents))]
    public void Malformed_components_are_invalid_data(string replacement, string message)
    {
        string json = Mutated(r => Replace(r, replacement));

        Should.Throw<InvalidDataException>(() => Load(json)).Message.ShouldContain(message);
    }

    public static TheoryData<string, string> UnsupportedComponents => new()
    {
        { """{"model": {"type": "BPE", "vocab": {}, "merges": []}}""", "model type 'BPE' is not supported; only Unigram is" },
        { """{"model": {"type": "Unigram", "unk_id": null, "vocab": [["a", 0]]}}""", "model.unk_id is null" },
        { """{"normalizer": {"type": "NFKC"}}""", "normalizer 'NFKC' (normalizer) is not supported" },
        { """{"normalizer": {"type": "Sequence", "normalizers": [{"type": "Sequence", "normalizers": []}, {"type": "Lowercase"}]}}""", "normalizer 'Lowercase' (normalizer.normalizers[1])" },
        { """{"pre_tokenizer": null}""", "there is no pre_tokenizer; only Metaspace is supported" },
        { """{"pre_tokenizer": {"type": "ByteLevel"}}""", "pre-tokenizer 'ByteLevel' is not supported" },
        { """{"pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Metaspace", "replacement": "▁"}]}}""", "a pre_tokenizer Sequence of 2 pre-tokenizers" },
        { """{"decoder": {"type": "WordPiece"}}""", "decoder 'WordPiece' (decoder) is not supported" },
        { """{"decoder": {"type": "Replace", "pattern": {"Regex": "x+"}, "content": ""}}""", "replaces a regular expression" },
        { """{"truncation": {"max_length": 8}}""", "truncation is set" },
        { """{"padding": {"pad_id": 0}}""", "padding is set" },
        { """{"added_tokens": [{"id": 0, "content": "<unk>", "lstrip": true}]}""", "sets lstrip" },
        { """{"added_tokens": [{"id": 4, "content": "<new>"}]}""", "('<new>', id 4) is not the vocabulary piece with that id" },
        { """{"added_tokens": [{"id": 2, "content": "<unk>"}]}""", "('<unk>', id 2) is not the vocabulary piece with that id" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedComponents))]
    public void Components_outside_the_family_are_not_supported(string replacement, string message)
    {
        string json = Mutated(r => Replace(r, replacement));

        Should.Throw<NotSupportedException>(() => Load(json)).Message.ShouldContain(message);
    }

    [Fact]
    public void A_normalizer_sequence_that_does_nothing_is_accepted()
    {
        string json = Mutated(r => r["normalizer"] = JsonNode.Parse("""{"type": "Sequence", "normalizers": [{"type": "Sequence", "normalizers": []}]}"""));

        Load(json).Encode("a a").ShouldBe([3, 3]);
    }

    private static void Replace(JsonObject root, string replacement)
    {
        foreach ((string key, JsonNode? value) in JsonNode.Parse(replacement)!.AsObject())
            root[key] = value?.DeepClone();
    }
}
