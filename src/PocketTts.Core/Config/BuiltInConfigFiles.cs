using System.Text;
using PocketTts.IO;

namespace PocketTts.Config;

/// <summary>
/// Writes a built-in language configuration to the Pocket TTS cache folder, so that every backend (including
/// those that read the configuration themselves) gets a real file path.
/// </summary>
public static class BuiltInConfigFiles
{
    /// <summary>The path of <paramref name="language"/>'s configuration under <paramref name="cacheDirectory"/>/configs, written (atomically) when missing or different.</summary>
    /// <exception cref="ArgumentException">Unknown language; the message lists the available ones.</exception>
    public static string Materialize(string language, string cacheDirectory)
    {
        string yaml = ModelConfigLoader.ReadLanguageYaml(language);
        string folder = Directory.CreateDirectory(Path.Combine(cacheDirectory, "configs")).FullName;
        string path = Path.Combine(folder, language + ".yaml");
        if (File.Exists(path) && File.ReadAllText(path) == yaml)
            return path;
        using (OutputFile file = OutputFile.Open(path))
        {
            file.Stream.Write(Encoding.UTF8.GetBytes(yaml));
            file.Commit();
        }
        return path;
    }
}
