using System.Text.Json;
using System.Text.Json.Nodes;
using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

/// <summary>
/// tests/Parity/Fixtures/tokenizer_json_cases.json (written by scripts/fixtures/make_tokenizer_json_cases.js with the
/// Hugging Face tokenizers library): per variant, the tokenizer (the fixture tokenizer.json with its pre_tokenizer and
/// decoder keys replaced, or a whole synthetic file) and the ids and decoded text the library gives.
/// </summary>
internal static class TokenizerJsonFixtures
{
    private static readonly Lazy<JsonDocument> CasesDocument = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(TokenizerFixtures.FixturePath("tokenizer_json_cases.json"))));

    private static readonly Dictionary<string, Lazy<JsonTokenizer>> Loaded = Variants().ToDictionary(
        v => v.GetProperty("name").GetString()!, v => new Lazy<JsonTokenizer>(() => JsonTokenizer.FromBytes(FileOf(v))));

    public static JsonTokenizer Tokenizer(string variant) => Loaded[variant].Value;

    public static JsonElement Variant(string name) => Variants().Single(v => v.GetProperty("name").GetString() == name);

    /// <summary>(variant, case index) for every case of a list ("cases" or "decode") of every variant.</summary>
    public static TheoryData<string, int> VariantAndIndex(string list)
    {
        var data = new TheoryData<string, int>();
        foreach (JsonElement v in Variants())
        {
            for (int i = 0; i < v.GetProperty(list).GetArrayLength(); i++)
                data.Add(v.GetProperty("name").GetString()!, i);
        }
        return data;
    }

    private static JsonElement.ArrayEnumerator Variants() => CasesDocument.Value.RootElement.GetProperty("variants").EnumerateArray();

    private static byte[] FileOf(JsonElement variant)
    {
        if (variant.TryGetProperty("tokenizer", out JsonElement whole))
            return JsonSerializer.SerializeToUtf8Bytes(whole);
        JsonNode file = JsonNode.Parse(File.ReadAllBytes(TokenizerFixtures.FixturePath(variant.GetProperty("base").GetString()!)))!;
        foreach (string key in (string[])["pre_tokenizer", "decoder"])
        {
            if (variant.TryGetProperty(key, out JsonElement replacement))
                file[key] = JsonNode.Parse(replacement.GetRawText());
        }
        return JsonSerializer.SerializeToUtf8Bytes(file);
    }
}
