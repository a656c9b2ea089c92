using System.Text.RegularExpressions;

namespace PocketTts.Tests.Unit.Docs;

/// <summary>
/// A fenced block of README.md or docs/*.md whose info string is <c>bash runnable</c>: shell commands a reader can
/// paste, which <see cref="RunnableCommandsTests"/> runs. Each command is one logical line (a trailing <c>\</c> joins the
/// next); blank lines and comment lines are left out.
/// </summary>
public sealed partial record RunnableBlock(string File, int Line, IReadOnlyList<string> Commands)
{
    public const string InfoString = "bash runnable";

    /// <summary>Every runnable block of README.md and docs/*.md under <paramref name="root"/>, in file order.</summary>
    public static IEnumerable<RunnableBlock> In(string root)
    {
        IEnumerable<string> files = [Path.Combine(root, "README.md"), .. Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal)];
        foreach (string file in files)
        {
            string[] lines = System.IO.File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim() != "```" + InfoString)
                    continue;
                int start = i;
                var commands = new List<string>();
                string pending = "";
                for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
                {
                    string line = lines[i].TrimEnd();
                    if (line.EndsWith('\\'))
                    {
                        pending += line[..^1];
                        continue;
                    }
                    line = (pending + line).Trim();
                    pending = "";
                    if (line.Length > 0 && !line.StartsWith('#'))
                        commands.Add(line);
                }
                yield return new RunnableBlock(Path.GetRelativePath(root, file), start + 1, commands);
            }
        }
    }

    /// <summary>
    /// The files (or folders) a command promises to write, relative to its folder: what follows <c>--output-path</c>,
    /// <c>--output</c> or curl's <c>-o</c> (unless <c>-</c>), the second argument of <c>export-voice</c>, and <c>generate</c>'s default
    /// <c>tts_output.wav</c>.
    /// </summary>
    public static IReadOnlyList<string> PromisedFiles(string command)
    {
        List<string> words = [.. Words(command)];
        var files = new List<string>();
        for (int i = 0; i + 1 < words.Count; i++)
        {
            if (words[i] is "--output-path" or "--output" or "-o" && words[i + 1] != "-")
                files.Add(words[i + 1]);
        }
        int exportVoice = words.IndexOf("export-voice");
        if (exportVoice >= 0)
            files.Add(words.Skip(exportVoice + 1).Where(w => !w.StartsWith('-')).ElementAt(1));
        if (words.Contains("generate") && !words.Contains("--output-path"))
            files.Add("tts_output.wav");
        return files;
    }

    public override string ToString() => $"{File}:{Line}";

    /// <summary>The words of a command as the shell splits them (single and double quotes; no expansions), up to a comment.</summary>
    private static IEnumerable<string> Words(string command) =>
        Word().Matches(command).TakeWhile(m => !m.Value.StartsWith('#')).Select(m => m.Groups["q"].Success ? m.Groups["q"].Value : m.Value);

    [GeneratedRegex("""'(?<q>[^']*)'|"(?<q>[^"]*)"|[^\s'"]+""")]
    private static partial Regex Word();
}
