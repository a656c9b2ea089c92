using PocketTts.Config;

namespace PocketTts.Tests.Unit.Config;

public class PredefinedVoicesTests
{
    [Fact]
    public void There_are_26_uniquely_named_voices_with_hf_sources()
    {
        PredefinedVoices.All.Count.ShouldBe(26);
        PredefinedVoices.All.Select(v => v.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count().ShouldBe(26);
        PredefinedVoices.All.ShouldAllBe(v => v.Source.StartsWith("hf://kyutai/", StringComparison.Ordinal));
        PredefinedVoices.All.Where(v => v.Language != "english").Select(v => (v.Name, v.Language))
            .ShouldBe([("giovanni", "italian"), ("lola", "spanish"), ("juergen", "german"), ("rafael", "portuguese"), ("estelle", "french")]);
        PredefinedVoices.All.Select(v => v.Language).Distinct().ShouldAllBe(l => LanguageCatalog.Family(l) == l);
    }

    [Fact]
    public void Every_voice_resolves_to_its_exported_state_for_every_language()
    {
        foreach (PredefinedVoice voice in PredefinedVoices.All)
        {
            foreach (string language in LanguageCatalog.Names)
            {
                voice.EmbeddingReference(language).ShouldBe(
                    $"hf://kyutai/pocket-tts-without-voice-cloning/languages/{language}/embeddings/{voice.Name}.safetensors@4e1e0a3e611c51c0b4ed8174fc10f32a54644303");
            }
        }
    }

    [Fact]
    public void A_voice_is_found_by_name()
    {
        PredefinedVoices.TryGet("Alba", out PredefinedVoice? alba).ShouldBeTrue();
        alba!.Name.ShouldBe("alba");
        alba.Source.ShouldBe("hf://kyutai/tts-voices/alba-mackenna/casual.wav");
        PredefinedVoices.TryGet("peter_yearsley", out _).ShouldBeTrue();
        PredefinedVoices.TryGet("nobody", out PredefinedVoice? nobody).ShouldBeFalse();
        nobody.ShouldBeNull();
    }
}
