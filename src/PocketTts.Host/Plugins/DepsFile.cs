using System.Text.Json;

namespace PocketTts.Host.Plugins;

/// <summary>
/// Checks a plugin's <c>.deps.json</c> before the runtime's native dependency resolver reads it: that resolver
/// aborts the whole process on some malformed files (a missing <c>runtimeTarget</c>, for one), and a broken
/// plugin must never take the host down.
/// </summary>
internal static class DepsFile
{
    /// <summary>Returns null when the file is usable (or absent), otherwise what is wrong with it.</summary>
    public static string? Check(string assemblyPath)
    {
        string path = Path.ChangeExtension(assemblyPath, ".deps.json");
        if (!File.Exists(path))
            return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("runtimeTarget", out JsonElement target) || target.ValueKind != JsonValueKind.Object
                || !target.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("targets", out JsonElement targets) || targets.ValueKind != JsonValueKind.Object
                || !targets.TryGetProperty(name.GetString()!, out JsonElement libraries) || libraries.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("libraries", out JsonElement catalog) || catalog.ValueKind != JsonValueKind.Object)
            {
                return $"{Path.GetFileName(path)} is malformed (it needs runtimeTarget.name, a matching targets entry and libraries)";
            }
            return null;
        }
        catch (JsonException ex)
        {
            return $"{Path.GetFileName(path)} is not valid JSON: {ex.Message}";
        }
    }
}
