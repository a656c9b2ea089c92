using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.Text;
using PocketTts.Text.Normalization;
using PocketTts.Text.Pauses;
using PocketTts.Tokenizer;

namespace PocketTts.Generation;

/// <summary>
/// The text side of a generation, which needs no weights: a model's configuration, tokenizer and text normaliser turn
/// text into a plan of chunks to speak and silences. Every engine plans with it, so that the same text and options give
/// the same chunks, token ids and frame budgets whatever runs the stages.
/// </summary>
internal sealed class SpeechPlanner(ModelConfig config, ITextTokenizer tokenizer, ITextNormalizer normalizer)
{
    /// <summary>The model's configuration.</summary>
    public ModelConfig Config { get; } = config;

    /// <summary>The model's tokenizer.</summary>
    public ITextTokenizer Tokenizer { get; } = tokenizer;

    /// <summary>The text normaliser of the model's language, used where the options give none.</summary>
    public ITextNormalizer Normalizer { get; } = normalizer;

    /// <summary>Reads the configuration and the tokenizer of <paramref name="source"/> and checks that they fit each other.</summary>
    /// <exception cref="InvalidDataException">The tokenizer's vocabulary does not match the configuration.</exception>
    public static SpeechPlanner Load(ModelSource source)
    {
        ModelConfig config = ModelConfigLoader.Load(source);
        ITextTokenizer tokenizer = TextTokenizers.Load(source.TokenizerPath);
        if (tokenizer.VocabSize != config.FlowLm.LookupTable.NBins)
            throw new InvalidDataException($"{source.TokenizerPath} has {tokenizer.VocabSize} pieces but the configuration expects n_bins = {config.FlowLm.LookupTable.NBins}.");
        // An unknown language fails here, before the weights load.
        ITextNormalizer normalizer = source.Language is null ? TextNormalizers.PassThrough : TextNormalizers.For(source.Language);
        return new SpeechPlanner(config, tokenizer, normalizer);
    }

    /// <summary>The plan of <paramref name="text"/> with <paramref name="options"/> (defaults when null) checked first: what the public <c>Plan</c> methods give.</summary>
    /// <exception cref="InvalidInputException">The text is empty, or an option is out of range.</exception>
    public SpeechPlan PlanChecked(string text, GenerationOptions? options)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= new GenerationOptions();
        options.Validate();
        return new SpeechPlan(Plan(text, options));
    }

    /// <summary>
    /// Pause markers, normalisation and natural pauses cut the text into speech and silences, and each piece of speech
    /// is cut into chunks of at most <see cref="GenerationOptions.MaxTokensPerChunk"/> tokens as the reference does.
    /// </summary>
    /// <exception cref="InvalidInputException">The text is empty or only whitespace.</exception>
    public IReadOnlyList<PlanItem> Plan(string text, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        TextRules rules = TextRules.For(Config);
        int sampleRate = Config.Mimi.SampleRate;
        var plan = new List<PlanItem>();
        foreach (TextSegment segment in TextSegmenter.Segment(text, options.TextNormalizer ?? Normalizer, options.Pauses))
        {
            if (segment is PauseSegment pause)
            {
                if (pause.ToSamples(sampleRate) is > 0 and int samples)
                    plan.Add(new SilencePlan(samples));
                continue;
            }
            string speech = ((SpeechSegment)segment).Text;
            foreach (string chunk in SentenceSplitter.Split(Tokenizer, speech, options.MaxTokensPerChunk, rules))
            {
                TextPrompt prompt = TextPrompt.Prepare(chunk, rules);
                int framesAfterEos = options.FramesAfterEos ?? Config.ModelRecommendedFramesAfterEos ?? prompt.FramesAfterEosGuess + 2;
                // The reference speaks each chunk as prepared again (tts_model.generate_audio_stream): a chunk
                // joined from two sentences loses the double space between them.
                int[] ids = Tokenizer.Encode(prompt.Text);
                plan.Add(new ChunkPlan(chunk, ids, framesAfterEos, GenerationLength.MaxFrames(ids.Length, Config.Mimi.FrameRate)));
            }
        }
        if (plan.Count == 0)
            throw new InvalidInputException("is empty or only whitespace: give the text to speak.", nameof(text), value: null);
        return plan;
    }

    /// <summary>
    /// Plans <paramref name="prefix"/>, the start of a text whose rest is still to come, and says how many of the plan's
    /// items, from the first, are those of the whole text whatever follows. Only the last speech segment is open (its
    /// chunks as <see cref="SentenceSplitter.SplitOpen"/> says), and a pause at the very end, which a marker right after
    /// it would lengthen. A prefix that cannot be planned yet (a pause marker cut in the middle) has no final item.
    /// </summary>
    /// <param name="prefix">Text that ends with a whole word.</param>
    /// <param name="options">The generation's options.</param>
    public (IReadOnlyList<PlanItem> Items, int Final) PlanOpen(string prefix, GenerationOptions options)
    {
        IReadOnlyList<TextSegment> segments;
        IReadOnlyList<PlanItem> plan;
        try
        {
            segments = TextSegmenter.Segment(prefix, options.TextNormalizer ?? Normalizer, options.Pauses);
            plan = Plan(prefix, options);
        }
        catch (InvalidInputException)
        {
            return ([], 0); // a marker or the text is incomplete: the whole text is judged at the end
        }
        if (segments[^1] is PauseSegment)
            return (plan, plan[^1] is SilencePlan ? plan.Count - 1 : plan.Count);
        var last = (SpeechSegment)segments[^1];
        (List<string> chunks, int final) = SentenceSplitter.SplitOpen(Tokenizer, last.Text, options.MaxTokensPerChunk, TextRules.For(Config));
        return (plan, plan.Count - chunks.Count + final);
    }
}
