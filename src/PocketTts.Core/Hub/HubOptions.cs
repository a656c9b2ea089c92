using System.Text;

namespace PocketTts.Hub;

/// <summary>
/// Where downloads come from and where they are kept. <see cref="FromEnvironment()"/> reads the same variables as
/// <c>huggingface_hub</c>, so files downloaded by the Python package are reused and vice versa.
/// </summary>
public sealed record HubOptions
{
    /// <summary>The public Hugging Face Hub.</summary>
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co");

    /// <summary>The Hub to download from (<c>HF_ENDPOINT</c>); default https://huggingface.co.</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>The Hugging Face cache (<c>HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else
    /// <c>~/.cache/huggingface/hub</c>), holding <c>models--org--name/{blobs,snapshots,refs}</c>.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Where files given by plain http(s) URL are kept (<c>POCKET_TTS_CACHE</c>, else
    /// <c>~/.cache/pocket_tts</c>, the reference's <c>make_cache_directory</c>).</summary>
    public required string PocketTtsCacheDirectory { get; init; }

    /// <summary>The access token sent as <c>Authorization: Bearer</c> to <see cref="Endpoint"/> only
    /// (<c>HF_TOKEN</c>, else the token file written by <c>huggingface-cli login</c>); null for none.</summary>
    public string? Token { get; init; }

    /// <summary>Never touch the network: serve from the caches or fail (<c>HF_HUB_OFFLINE=1</c>).</summary>
    public bool Offline { get; init; }

    /// <summary>Reads the options from the process environment.</summary>
    public static HubOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>
    /// Reads the options from environment variables, resolved as <c>huggingface_hub/constants.py</c> does:
    /// <c>HF_ENDPOINT</c>; <c>HF_HUB_CACHE</c> (or the older <c>HUGGINGFACE_HUB_CACHE</c>), else
    /// <c>$HF_HOME/hub</c>, <c>HF_HOME</c> defaulting to <c>$XDG_CACHE_HOME/huggingface</c> or
    /// <c>~/.cache/huggingface</c>; <c>HF_TOKEN</c> (or the older <c>HUGGING_FACE_HUB_TOKEN</c>), else the file
    /// <c>$HF_TOKEN_PATH</c> or <c>$HF_HOME/token</c>; <c>HF_HUB_OFFLINE</c> (1, true, yes or on);
    /// <c>POCKET_TTS_CACHE</c>. A leading <c>~</c> is the home folder (<c>HOME</c>, or <c>USERPROFILE</c>).
    /// </summary>
    /// <param name="getenv">Returns a variable's value, or null when unset.</param>
    /// <exception cref="ArgumentException"><c>HF_ENDPOINT</c> is not an absolute http(s) URL.</exception>
    public static HubOptions FromEnvironment(Func<string, string?> getenv)
    {
        ArgumentNullException.ThrowIfNull(getenv);
        string? Get(string name) => getenv(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        string home = Get("HOME") ?? Get("USERPROFILE") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string Expand(string path) =>
            path == "~" ? home
            : path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal) ? Path.Join(home, path[2..])
            : path;

        string hfHome = Expand(Get("HF_HOME") ?? Path.Join(Get("XDG_CACHE_HOME") ?? "~/.cache", "huggingface"));
        string tokenPath = Expand(Get("HF_TOKEN_PATH") ?? Path.Join(hfHome, "token"));
        return new HubOptions
        {
            Endpoint = ParseEndpoint(Get("HF_ENDPOINT")),
            CacheDirectory = Expand(Get("HF_HUB_CACHE") ?? Get("HUGGINGFACE_HUB_CACHE") ?? Path.Join(hfHome, "hub")),
            PocketTtsCacheDirectory = Expand(Get("POCKET_TTS_CACHE") ?? Path.Join(home, ".cache", "pocket_tts")),
            Token = Get("HF_TOKEN") ?? Get("HUGGING_FACE_HUB_TOKEN") ?? ReadTokenFile(tokenPath),
            Offline = Get("HF_HUB_OFFLINE")?.ToUpperInvariant() is "1" or "TRUE" or "YES" or "ON",
        };
    }

    private static Uri ParseEndpoint(string? value)
    {
        if (value is null)
            return DefaultEndpoint;
        if (!Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out Uri? endpoint) ||
            (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"HF_ENDPOINT '{value}' is not an absolute http:// or https:// URL.", nameof(value));
        return endpoint;
    }

    // huggingface_hub reads the file written by `huggingface-cli login` and treats a missing file as no token.
    private static string? ReadTokenFile(string path) =>
        File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } token ? token : null;

    // The token is a secret: a record's generated ToString would print it into logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Endpoint = {Endpoint}, CacheDirectory = {CacheDirectory}, PocketTtsCacheDirectory = {PocketTtsCacheDirectory}, ");
        builder.Append($"Token = {(Token is null ? "none" : "(set)")}, Offline = {Offline}");
        return true;
    }
}
