using System.Text;
using PocketTts.Config;
using PocketTts.IO;

namespace PocketTts.Host.Models;

/// <summary>
/// Writes a built-in language configuration to the Pocket TTS cache folder, so that every backend (including
/// those that read the configuration themselves) gets a real file path.
/// </summary>
internal static class BuiltInConfigFiles
{
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
