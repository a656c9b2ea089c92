using System.Text.Json;
using System.Text.Json.Serialization;

namespace PocketTts.Graphs.Onnx;

/// <summary>
/// <c>manifest.json</c> of an exported folder: the model's settings and, per graph, its file and interface. Graph
/// names: text_conditioner, flow_lm_voice, flow_lm_main, flow_net, mimi_encoder_first,
/// mimi_encoder, mimi_decoder.
/// </summary>
/// <param name="Format">Always <see cref="FormatName"/>.</param>
/// <param name="Version">The layout version, <see cref="CurrentVersion"/>.</param>
/// <param name="Source">What the graphs were exported from (weights file and its size and time), to notice stale caches.</param>
/// <param name="Settings">The model's sizes.</param>
/// <param name="Graphs">The graphs by name.</param>
public sealed record OnnxManifest(string Format, int Version, string Source, StageGraphSettings Settings, Dictionary<string, GraphSpec> Graphs)
{
    /// <summary>The <see cref="Format"/> of every manifest of this layout.</summary>
    public const string FormatName = "pocket-tts-dotnet-onnx";

    /// <summary>The layout version this build writes and reads.</summary>
    // 3: settings name the flow head (drifting_head), and the flow_net graph of a drifting head takes no s and t.
    public const int CurrentVersion = 3;

    /// <summary>The manifest's file name in an exported folder.</summary>
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>The graph named <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">The manifest has no such graph.</exception>
    public GraphSpec Graph(string name) =>
        Graphs.TryGetValue(name, out GraphSpec? graph) ? graph : throw new InvalidDataException($"The ONNX manifest has no '{name}' graph.");

    /// <summary>Writes <c>manifest.json</c> into <paramref name="directory"/>.</summary>
    public void Save(string directory) => File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>Reads <c>manifest.json</c> from <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">It is not a manifest of this format and version.</exception>
    public static OnnxManifest Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        OnnxManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<OnnxManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
        if (manifest is null || manifest.Format != FormatName || manifest.Graphs is null || manifest.Settings is null)
            throw new InvalidDataException($"{path} is not a {FormatName} manifest.");
        if (manifest.Version != CurrentVersion)
            throw new InvalidDataException($"{path} is layout version {manifest.Version}; this build reads version {CurrentVersion}. Export the graphs again.");
        return manifest;
    }
}
