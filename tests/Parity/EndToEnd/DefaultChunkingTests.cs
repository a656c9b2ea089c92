using System.Text.Json;
using PocketTts.Backends;
using PocketTts.Generation;
using PocketTts.Tests.Parity.Infrastructure;

namespace PocketTts.Tests.Parity.EndToEnd;

/// <summary>
/// With no option given, a plain text is cut into the chunks the reference's <c>split_into_best_sentences</c> makes,
/// with the same token ids: commas, semicolons, colons, ellipses, question and exclamation marks, apostrophes and
/// line breaks included, with English normalisation on (it must leave such text alone). The audio of those chunks is
/// held to the reference by <see cref="EndToEndParityTests"/>, which runs on the same default options. The ids are
/// those of each chunk as prepared again before it is spoken (<c>prepared_chunks</c>), as upstream's
/// <c>generate_audio_stream</c> tokenises it.
/// </summary>
public sealed class DefaultChunkingTests
{
    private static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Fixture.PathOf("tokenizer_cases.json"))).RootElement;

    private static readonly Dictionary<string, string> Tokenizers = new()
    {
        ["A"] = "tokenizer.model",
        ["B"] = "tokenizer_variants/dummy_prefix.model",
    };

    /// <summary>The reference's splits made with the tiny configuration's flags (no padding, semicolons kept).</summary>
    public static TheoryData<int> ReferenceSplits()
    {
        var data = new TheoryData<int>();
        JsonElement splits = Cases.GetProperty("split_into_best_sentences");
        for (int i = 0; i < splits.GetArrayLength(); i++)
        {
            JsonElement c = splits[i];
            if (Tokenizers.ContainsKey(c.GetProperty("variant").GetString()!)
                && !c.GetProperty("pad_with_spaces_for_short_inputs").GetBoolean() && !c.GetProperty("remove_semicolons").GetBoolean())
            {
                data.Add(i);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceSplits))]
    public async Task The_default_plan_is_the_reference_s_chunking(int index)
    {
        JsonElement c = Cases.GetProperty("split_into_best_sentences")[index];
        string tokenizer = Tokenizers[c.GetProperty("variant").GetString()!];
        var source = new ModelSource(Fixture.PathOf("tiny/config.yaml"), Fixture.PathOf("tiny/model.safetensors"), Fixture.PathOf(tokenizer))
        {
            Language = "english",
        };
        using var model = await PocketTtsModel.LoadAsync(source, ParityBackends.Create("managed"));

        var plan = model.Plan(c.GetProperty("text").GetString()!, new GenerationOptions { MaxTokensPerChunk = c.GetProperty("max_tokens").GetInt32() });

        plan.ShouldAllBe(item => item is ChunkPlan, "no silence is inserted into plain text");
        plan.Cast<ChunkPlan>().Select(p => p.Text).ShouldBe(c.GetProperty("chunks").EnumerateArray().Select(s => s.GetString()!));
        plan.Cast<ChunkPlan>().Select(p => p.TokenIds).ShouldBe(
            c.GetProperty("chunk_ids").EnumerateArray().Select(ids => ids.EnumerateArray().Select(id => id.GetInt32()).ToArray()));
    }
}
