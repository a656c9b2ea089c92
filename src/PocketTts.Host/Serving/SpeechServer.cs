using PocketTts.Audio.Encoders;
using PocketTts.Generation;
using PocketTts.Host.Models;
using PocketTts.Host.Serving.Voices;
using PocketTts.Text.Normalization;
using PocketTts.Text.Pauses;

namespace PocketTts.Host.Serving;

/// <summary>
/// What the endpoints share: the loaded model, the voices, the encoders and the admission limiter. Turns a
/// validated <see cref="SpeechJob"/> into a streaming <see cref="SpeechResult"/> once a generation slot is free.
/// One per server; thread-safe.
/// </summary>
internal sealed class SpeechServer(LoadedModel loaded, ServerOptions options, VoiceRegistry voices, AudioEncoderFactory encoders, GenerationLimiter limiter)
{
    public PocketTtsModel Model => loaded.Model;

    public LoadedModel Loaded => loaded;

    public ServerOptions Options => options;

    public VoiceRegistry Voices => voices;

    public AudioEncoderFactory Encoders => encoders;

    public GenerationLimiter Limiter => limiter;

    /// <summary>
    /// The server's generation options with what a request overrides: its seed, whether natural pauses are added
    /// (off keeps explicit pause markers), whether the text is normalised and in which language.
    /// </summary>
    /// <exception cref="ApiException">400: the normalisation language is unknown.</exception>
    public GenerationOptions OptionsFor(int? seed, bool? naturalPauses = null, bool? normalize = null, string? normalizeLanguage = null)
    {
        GenerationOptions result = options.Generation;
        if (seed is not null)
            result = result with { Seed = seed };
        if (naturalPauses is { } natural)
            result = result with { Pauses = result.Pauses with { NaturalPauses = natural } };
        if (normalize == false)
            result = result with { TextNormalizer = TextNormalizers.PassThrough };
        else if (normalize == true && ReferenceEquals(result.TextNormalizer, TextNormalizers.PassThrough))
            result = result with { TextNormalizer = null }; // the model's language, although the server was started with --no-normalize
        if (normalizeLanguage is not null && normalize != false)
            result = result with { TextNormalizer = NormalizerFor(normalizeLanguage) };
        return result;
    }

    private static ITextNormalizer NormalizerFor(string language)
    {
        try
        {
            return TextNormalizers.For(language);
        }
        catch (ArgumentException e)
        {
            throw ApiException.BadRequest(e.Message.Split(" (Parameter")[0], "normalize_language", "invalid_value");
        }
    }

    /// <summary>Checks the text against the limits.</summary>
    /// <exception cref="ApiException">400: empty or too long.</exception>
    public string ValidateText(string? text, string param)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw ApiException.BadRequest($"{param} is empty: give the text to speak.", param, "empty_input");
        if (text.Length > options.MaxTextLength)
            throw ApiException.BadRequest($"{param} has {text.Length} characters; the limit is {options.MaxTextLength}.", param, "string_above_max_length");
        return text;
    }

    /// <summary>Plans the generation (which validates the text for the model), then waits for a slot.</summary>
    /// <exception cref="ApiException">400 for text the model cannot speak; 429 or 503 when the server is full.</exception>
    public async Task<SpeechResult> StartAsync(SpeechJob job, CancellationToken cancellationToken)
    {
        encoders.EnsureAvailable(job.Format);
        IAsyncEnumerable<AudioChunk> audio;
        int inputTokens;
        try
        {
            // Planned once, here: the SSE done event reports the tokens the generation reads.
            SpeechPlan plan = loaded.Model.Plan(job.Text, job.Options);
            inputTokens = plan.TokenCount;
            audio = loaded.Model.GenerateStreamingAsync(plan, job.Voice, job.Options, CancellationToken.None); // enumerated with the request's token
        }
        catch (PauseMarkupException e)
        {
            throw ApiException.BadRequest(e.Message, "input", "invalid_pause_marker");
        }
        GenerationLimiter.Lease lease = await limiter.EnterAsync(cancellationToken);
        return new SpeechResult(job, audio, inputTokens, lease);
    }
}
