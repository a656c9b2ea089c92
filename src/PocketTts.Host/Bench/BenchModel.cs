using PocketTts.Config;

namespace PocketTts.Host.Bench;

/// <summary>
/// The model a bench measures, chosen as for <c>generate</c> (<c>--language</c> or a local <c>--config</c> file): its
/// configuration gives the architecture, the weights are synthetic (<see cref="SyntheticWeights.FromConfig"/>).
/// </summary>
/// <param name="Name">The language, or the configuration file's name without its extension.</param>
/// <param name="Config">The configuration.</param>
/// <param name="ConfigFile">The full path of a <c>--config</c> file, or null for a built-in language.</param>
internal sealed record BenchModel(string Name, ModelConfig Config, string? ConfigFile)
{
    /// <summary>The default model (<c>english</c>).</summary>
    public static BenchModel Default { get; } = Resolve(null, null);

    /// <summary>The model of <c>--language</c> or <c>--config</c> (at most one); neither is the default language.</summary>
    /// <exception cref="UsageException">Both are given.</exception>
    public static BenchModel Resolve(string? language, string? configFile)
    {
        if (language is not null && configFile is not null)
            throw new UsageException("--language and --config are exclusive: give one or the other.");
        if (configFile is not null)
            return new BenchModel(Path.GetFileNameWithoutExtension(configFile), ModelConfigLoader.LoadFile(configFile), Path.GetFullPath(configFile));
        string name = language ?? LanguageCatalog.DefaultLanguage;
        return new BenchModel(name, ModelConfigLoader.LoadLanguage(name), null);
    }

    /// <summary>The options that choose this model again (for a child process).</summary>
    public IEnumerable<string> Arguments => ConfigFile is null ? ["--language", Name] : ["--config", ConfigFile];
}
