using PocketTts.Hub;

namespace PocketTts.Host.Cli;

/// <summary>
/// How a failure the user can fix reaches a terminal: its kind chooses the exit code, and a library error's
/// <see cref="PocketTtsException.Subject"/> is named by the flag that sets it, so the line speaks the command line's
/// words without reading the library's message.
/// </summary>
internal static class CliErrors
{
    /// <summary>Exit code of a bad option, value, text or file (also a parse error).</summary>
    public const int InvalidInput = 1;

    /// <summary>Exit code when something named does not exist (a voice, a file, a plugin package).</summary>
    public const int NotFound = 2;

    /// <summary>Exit code when this machine, build or model cannot do what was asked (a backend, a format, cloning).</summary>
    public const int Unsupported = 3;

    /// <summary>Exit code when an input exceeds a limit.</summary>
    public const int LimitExceeded = 4;

    /// <summary>Exit code when a download failed (network, refused, offline without the file).</summary>
    public const int Download = 5;

    /// <summary>Exit code of a failure no check foresaw: a bug (EX_SOFTWARE).</summary>
    public const int Internal = 70;

    /// <summary>The library's subjects and the flags that set them.</summary>
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["Temperature"] = "--temperature",
        ["LsdDecodeSteps"] = "--lsd-decode-steps",
        ["NoiseClamp"] = "--noise-clamp",
        ["EosThreshold"] = "--eos-threshold",
        ["FramesAfterEos"] = "--frames-after-eos",
        ["MaxTokensPerChunk"] = "--max-tokens",
        ["CommaPause"] = "--comma-pause-ms",
        ["SentencePause"] = "--sentence-pause-ms",
        ["EllipsisPause"] = "--ellipsis-pause-ms",
        ["DefaultPause"] = "--pause-ms",
        ["MaxPause"] = "--max-pause-ms",
        ["ConfigPath"] = "--config",
        ["CheckpointPath"] = "--checkpoint",
        ["GraphsDirectory"] = "--onnx-graphs",
        ["voice"] = "--voice",
        ["text"] = "--text",
        ["format"] = "--format",
        ["OutputPath"] = "--output-path",
    };

    /// <summary>The exit code for a failure, by its kind.</summary>
    public static int ExitCode(Exception e) => e switch
    {
        NotFoundException or FileNotFoundException or DirectoryNotFoundException => NotFound,
        UnsupportedException or NotSupportedException => Unsupported,
        LimitExceededException => LimitExceeded,
        HubException => Download,
        _ => InvalidInput,
    };

    /// <summary>The line for a library error: its subject as the flag that sets it, else its own message.</summary>
    public static string Describe(PocketTtsException e) =>
        e.Subject is { } subject && Flags.TryGetValue(subject, out string? flag)
            ? e.MessageNaming(flag)
            : e.Message;

    /// <summary>The one line (plus at most a hint) for a failure the user can fix; null for a bug.</summary>
    public static string? UserMessage(Exception e) => e switch
    {
        UsageException => e.Message,
        PocketTtsException library => Describe(library),
        HubException { Kind: HubErrorKind.Network } => e.Message + "\n" + NetworkHint,
        HubException => e.Message,
        FileNotFoundException => e.Message,
        DirectoryNotFoundException => e.Message,
        InvalidDataException => e.Message,
        UnauthorizedAccessException => e.Message,
        NotSupportedException => e.Message,
        FormatException => e.Message,   // a malformed file reference: file:///…, hf://../../etc/passwd
        IOException => e.Message,
        _ => null,
    };

    /// <summary>What a person can do when a model file could not be fetched: the hint line under the error.</summary>
    internal const string NetworkHint =
        "hint: check the network or proxy; HF_ENDPOINT names a mirror, HF_HUB_OFFLINE=1 uses only cached files, " +
        "'pocket-tts download' fetches a model ahead, and --config runs a model from local files.";
}
