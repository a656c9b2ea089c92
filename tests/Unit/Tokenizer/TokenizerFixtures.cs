using System.Text.Json;
using PocketTts.Tokenizer;

namespace PocketTts.Tests.Unit.Tokenizer;

/// <summary>
/// tests/Parity/Fixtures/tokenizer_cases.json and the three tokenizer variants it was made with (see the fixture
/// README, section "Tokenizer"): A = identity, no dummy prefix; B = A with the dummy prefix; C = nmt_nfkc defaults.
/// </summary>
internal static class TokenizerFixtures
{
    public static readonly string[] Variants = ["A", "B", "C"];

    private static readonly Lazy<JsonDocument> CasesDocument = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(FixturePath("tokenizer_cases.json"))));

    private static readonly Dictionary<string, Lazy<SentencePieceTokenizer>> LoadedTokenizers = Variants.ToDictionary(
        v => v, v => new Lazy<SentencePieceTokenizer>(() => SentencePieceTokenizer.Load(ModelPath(v))));

    public static JsonElement Cases => CasesDocument.Value.RootElement;

    public static SentencePieceTokenizer Tokenizer(string variant) => LoadedTokenizers[variant].Value;

    public static string ModelPath(string variant) =>
        FixturePath(Cases.GetProperty("variants").GetProperty(variant).GetProperty("model_file").GetString()!);

    public static string FixturePath(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static int[] Ints(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt32())];

    public static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>(case index, variant) for every case of a list in tokenizer_cases.json.</summary>
    public static TheoryData<int, string> IndexAndVariant(string list)
    {
        var data = new TheoryData<int, string>();
        for (int i = 0; i < Cases.GetProperty(list).GetArrayLength(); i++)
        {
            foreach (string v in Variants)
                data.Add(i, v);
        }
        return data;
    }

    /// <summary>Every index of a list in tokenizer_cases.json.</summary>
    public static TheoryData<int> Indices(string list)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases.GetProperty(list).GetArrayLength(); i++)
            data.Add(i);
        return data;
    }
}
