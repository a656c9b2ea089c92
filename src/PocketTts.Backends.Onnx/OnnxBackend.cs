using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using PocketTts.Backends.Onnx.Community;
using PocketTts.Backends.Onnx.Runtime;
using PocketTts.Graphs;
using PocketTts.Graphs.Onnx;
using PocketTts.Stages;

namespace PocketTts.Backends.Onnx;

/// <summary>
/// Stages on ONNX Runtime. A model's graphs are recorded from the engine's model definition on first use and cached under
/// <see cref="BackendOptions.CacheDirectory"/>; a weights path that is itself a folder of exported graphs is opened as
/// it is.
/// </summary>
internal sealed class OnnxBackend : IStageBackend, IGraphExporter
{
    private readonly BackendOptions _options;
    private readonly Func<SessionOptions> _sessionOptions;

    public OnnxBackend(string name, BackendOptions options, Func<SessionOptions> sessionOptions)
    {
        Name = name;
        _options = options;
        _sessionOptions = sessionOptions;
    }

    public string Name { get; }

    public IModelStages CreateStages(ModelSource source, IModelDefinition model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(model);
        string directory = Directory.Exists(source.WeightsPath) ? source.WeightsPath : Cached(source, model, cancellationToken);
        using SessionOptions options = _sessionOptions();
        if (CommunityBundle.IsBundle(directory))
            return CommunityModelStages.Open(Name, directory, source.Quantize, options);
        OnnxManifest manifest = OnnxManifest.Load(directory);
        return OnnxModelStages.Open(Name, directory, manifest, options);
    }

    public IReadOnlyList<string> Export(ModelSource source, IModelDefinition model, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        OnnxManifest manifest = OnnxExport.Export(model, source, directory, Stamp(source, model), cancellationToken);
        return [.. manifest.Graphs.Values.Select(g => Path.Combine(directory, g.File)).Append(Path.Combine(directory, OnnxManifest.FileName))];
    }

    /// <summary>
    /// The cache folder of <paramref name="source"/>'s graphs, exported now when missing. The folder lives under
    /// <see cref="BackendOptions.CacheDirectory"/>, never beside the weights (a user's folder, or a Hugging Face
    /// snapshot that must hold only the repository's files), and is named by the hash of what the graphs are made
    /// from, so other weights, another quantization or another exporter get another folder. An export is written to a
    /// temporary folder and renamed into place, so an interrupted one leaves no half-written graphs to be reused.
    /// </summary>
    private string Cached(ModelSource source, IModelDefinition model, CancellationToken cancellationToken)
    {
        string cache = _options.CacheDirectory
            ?? throw new InvalidOperationException($"The {Name} backend exports graphs from weights into a cache folder: set BackendOptions.CacheDirectory (the pocket-tts host uses $POCKET_TTS_CACHE/<backend name>).");
        string stamp = Stamp(source, model);
        string key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stamp)))[..16];
        string directory = Path.Combine(Path.GetFullPath(cache), $"{Path.GetFileNameWithoutExtension(source.WeightsPath)}-{(source.Quantize ? "int8" : "float32")}-{key}");
        if (IsExportOf(directory, stamp))
            return directory;

        DeleteAbandonedExports(directory);
        string partial = $"{directory}.partial-{Guid.NewGuid():N}";
        try
        {
            OnnxExport.Export(model, source, partial, stamp, cancellationToken);
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);   // a broken or foreign folder under our name
            Directory.Move(partial, directory);
        }
        catch (IOException) when (IsExportOf(directory, stamp))
        {
            // Another process finished the same export first: use theirs.
        }
        finally
        {
            if (Directory.Exists(partial))
                Directory.Delete(partial, recursive: true);
        }
        return directory;
    }

    /// <summary>How long an export may run before its temporary folder counts as abandoned (its process was killed).</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    /// <summary>
    /// Deletes temporary folders of exports into <paramref name="directory"/> that were killed before they could clean
    /// up; one younger than <see cref="AbandonedAfter"/> may belong to another process exporting now, and is left.
    /// </summary>
    private static void DeleteAbandonedExports(string directory)
    {
        string? parent = Path.GetDirectoryName(directory);
        if (parent is null || !Directory.Exists(parent))
            return;
        foreach (string partial in Directory.EnumerateDirectories(parent, Path.GetFileName(directory) + ".partial-*"))
        {
            if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(partial) > AbandonedAfter)
                Directory.Delete(partial, recursive: true);
        }
    }

    private static bool IsExportOf(string directory, string stamp)
    {
        if (!File.Exists(Path.Combine(directory, OnnxManifest.FileName)))
            return false;
        try
        {
            return OnnxManifest.Load(directory).Source == stamp;
        }
        catch (InvalidDataException)
        {
            return false;   // a manifest of another version or a broken one: export again
        }
    }

    /// <summary>
    /// What the graphs are made from: the weights file (path, size, time), the quantization, and the builds of the
    /// model definition and of the recorder, so graphs from an older engine or exporter are not reused. A build is its
    /// assembly's module version id, which a deterministic build derives from its content: the informational version
    /// names only the commit, and so missed a changed exporter built from an uncommitted tree.
    /// </summary>
    private static string Stamp(ModelSource source, IModelDefinition model)
    {
        var file = new FileInfo(source.WeightsPath);
        string weights = file.Exists ? $"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}" : $"{source.ConfigPath} (raw checkpoints)";
        Guid definition = model.GetType().Assembly.ManifestModule.ModuleVersionId;
        Guid recorder = typeof(GraphRecorder).Assembly.ManifestModule.ModuleVersionId;
        return $"{weights}|{(source.Quantize ? "int8" : "float32")}|model {definition}|recorder {recorder}";
    }

    public void Dispose()
    {
    }
}
