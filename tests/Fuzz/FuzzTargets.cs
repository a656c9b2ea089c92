using System.Text;
using Microsoft.AspNetCore.Http;
using PocketTts.Audio;
using PocketTts.Config;
using PocketTts.Host.Serving;
using PocketTts.Text.Normalization;
using PocketTts.Text.Pauses;
using PocketTts.Tokenizer;
using PocketTts.Voices;
using PocketTts.Weights;
using PocketTts.Weights.Torch;

namespace PocketTts.Fuzz;

/// <summary>
/// A parser of outside input under test: <see cref="Parse"/> returns normally or throws one of
/// <see cref="ClearErrors"/>, the parser's documented errors whose message a user sees; anything else escaping is a
/// crash for afl-fuzz and a failure of the corpus replay.
/// </summary>
public sealed record FuzzTarget(Action<byte[]> Parse, params Type[] ClearErrors)
{
    /// <summary>Parses <paramref name="input"/>, letting only an error that is not a clear one escape.</summary>
    public void Run(byte[] input)
    {
        try
        {
            Parse(input);
        }
        catch (Exception e) when (IsClear(e))
        {
            // The parser's documented error: a message for the user, not a crash.
        }
    }

    /// <summary>Whether <paramref name="error"/> is one of the parser's documented errors.</summary>
    public bool IsClear(Exception error) => ClearErrors.Any(type => type.IsInstanceOfType(error));
}

/// <summary>
/// One target per parser of outside input, shared by the fuzzer (<c>Program.cs</c>) and the unit test that replays
/// <c>tests/Unit/TestData/fuzz/</c>.
/// </summary>
public static class FuzzTargets
{
    /// <summary>The targets by name, as <c>scripts/fuzz.sh TARGET</c> and the corpus folders name them.</summary>
    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } = new Dictionary<string, FuzzTarget>(StringComparer.Ordinal)
    {
        ["safetensors"] = new(bytes => SafeTensorsFile.FromBytes(bytes, "fuzz").Dispose(), typeof(InvalidDataException)),
        ["voice-state"] = new(bytes => VoiceStateFile.Read(bytes, "fuzz"), typeof(InvalidDataException)),
        ["wav"] = new(bytes => WavReader.Read(bytes, "fuzz"), typeof(InvalidDataException)),
        ["mp3"] = new(bytes => AudioFileReader.Read(bytes, "fuzz"), typeof(InvalidDataException)),
        ["yaml"] = new(bytes => ModelConfigLoader.Parse(Encoding.UTF8.GetString(bytes), "fuzz", baseDirectory: null), typeof(InvalidDataException)),
        ["sentencepiece"] = new(bytes => Tokenize(SentencePieceTokenizer.FromBytes(bytes)), typeof(InvalidDataException), typeof(NotSupportedException)),
        ["tokenizer-json"] = new(bytes => Tokenize(JsonTokenizer.FromBytes(bytes)), typeof(InvalidDataException), typeof(NotSupportedException)),
        ["pauses"] = new(bytes => PauseMarkup.Parse(Encoding.UTF8.GetString(bytes), new PauseOptions { NaturalPauses = bytes.Length % 2 == 1 }), typeof(PauseMarkupException)),
        ["torch-pickle"] = new(bytes => TorchPickle.Load(bytes, "fuzz"), typeof(InvalidDataException)),
        ["normalizer"] = new(bytes => Normalize(Encoding.UTF8.GetString(bytes))),
        // The form reader's own limits (field count, lengths) throw BadHttpRequestException, a 400 from Kestrel.
        ["multipart"] = new(bytes => ReadUploadAsync(bytes).GetAwaiter().GetResult(), typeof(ApiException), typeof(InvalidDataException), typeof(BadHttpRequestException)),
    };

    /// <summary>A loaded tokenizer must also encode and decode whatever text it is given.</summary>
    /// <summary>The text through every language's normaliser, English and the six others alike.</summary>
    private static void Normalize(string text)
    {
        foreach (string language in new[] { "english", "french", "german", "italian", "portuguese", "spanish", "dutch" })
            TextNormalizers.For(language).Normalize(text);
    }

    private static void Tokenize(ITextTokenizer tokenizer) => tokenizer.Decode(tokenizer.Encode("Hello world, 3 €; ça va? \u2581 <unk>"));

    /// <summary>
    /// The voice upload as the server reads it, without a server: the first line of the input is the Content-Type,
    /// the rest the body, read by ASP.NET Core's form reader through <see cref="UploadedForm"/>, then each file as audio.
    /// </summary>
    private static async Task ReadUploadAsync(byte[] bytes)
    {
        int newline = Array.IndexOf(bytes, (byte)'\n');
        int bodyStart = newline < 0 ? bytes.Length : newline + 1;
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = Encoding.Latin1.GetString(bytes, 0, newline < 0 ? bytes.Length : newline);
        context.Request.Body = new MemoryStream(bytes, bodyStart, bytes.Length - bodyStart);
        IFormCollection form = await UploadedForm.ReadAsync(context.Request, CancellationToken.None);
        foreach (IFormFile file in form.Files)
            AudioFileReader.Read(await UploadedForm.ReadFileAsync(file, 1 << 20, file.Name, CancellationToken.None), file.Name);
    }
}
