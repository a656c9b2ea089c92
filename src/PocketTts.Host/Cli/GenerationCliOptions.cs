using System.CommandLine;
using PocketTts.Generation;

namespace PocketTts.Host.Cli;

/// <summary>
/// The generation options <c>generate</c> and <c>serve</c> share, declared once: the reference's sampling flags, a
/// seed, and the text options (<see cref="TextCliOptions"/>). For <c>serve</c> they are the defaults of every request.
/// </summary>
internal static class GenerationCliOptions
{
    // The reference renamed the option in 3.x (the drifting head has no LSD); the old name stays an alias.
    public static readonly Option<int> LsdDecodeSteps = new Option<int>("--sampler-decode-steps", "--lsd-decode-steps")
    {
        Description = "Flow decoding steps per frame (LSD head; the drifting head always takes one).",
        DefaultValueFactory = _ => 1,
    }.AtLeast(1);

    public static readonly Option<float?> Temperature = new Option<float?>("--temperature")
    {
        Description = "Noise temperature; 0 is deterministic. Default: the model's default_temperature (0.3 for every shipped model).",
    }.Positive(zeroAllowed: true);

    public static readonly Option<float?> NoiseClamp = new Option<float?>("--noise-clamp") { Description = "Truncate the noise to ±this value." }.Positive();

    public static readonly Option<float> EosThreshold = new Option<float>("--eos-threshold") { Description = "End-of-speech logit threshold.", DefaultValueFactory = _ => -4f }
        .Accepts("a number", value => !float.IsNaN(value));

    public static readonly Option<int?> FramesAfterEos = new Option<int?>("--frames-after-eos")
    {
        Description = "Frames generated after end of speech (default: the model's recommendation or a guess per chunk).",
    }.AtLeast(0);

    public static readonly Option<int> MaxTokens = new Option<int>("--max-tokens") { Description = "Maximum tokens per text chunk.", DefaultValueFactory = _ => 50 }.AtLeast(1);

    public static readonly Option<int?> Seed = new("--seed") { Description = "Seed of the noise, for reproducible output (a server request's own 'seed' field wins)." };

    /// <summary>Every option, in the order help lists them.</summary>
    public static IEnumerable<Option> All => new Option[] { LsdDecodeSteps, Temperature, NoiseClamp, EosThreshold, FramesAfterEos, MaxTokens, Seed }.Concat(TextCliOptions.All);

    /// <summary>The options as given, validated.</summary>
    /// <exception cref="UsageException">A pause length is out of range.</exception>
    public static GenerationOptions Read(ParseResult parse) => new()
    {
        Temperature = parse.GetValue(Temperature),
        LsdDecodeSteps = parse.GetValue(LsdDecodeSteps),
        NoiseClamp = parse.GetValue(NoiseClamp),
        EosThreshold = parse.GetValue(EosThreshold),
        FramesAfterEos = parse.GetValue(FramesAfterEos),
        MaxTokensPerChunk = parse.GetValue(MaxTokens),
        Seed = parse.GetValue(Seed),
        Pauses = TextCliOptions.ReadPauses(parse),
        TextNormalizer = TextCliOptions.ReadNormalizer(parse),
    };
}
