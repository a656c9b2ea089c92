namespace PocketTts.Host.Cli;

/// <summary>The "did you mean" guess for a mistyped name: an option, a command, a language.</summary>
internal static class DidYouMean
{
    /// <summary>
    /// The candidate the typed name most likely meant, or null: one that starts with it (<c>french</c> →
    /// <c>french_24l</c>), else the closest by edit distance when at most a third of its letters differ.
    /// </summary>
    public static string? Guess(string typed, IEnumerable<string> candidates)
    {
        string[] names = [.. candidates];
        string? prefixed = names.Where(n => n.Length > typed.Length && n.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                                .OrderBy(n => n.Length).FirstOrDefault();
        if (prefixed is not null && typed.TrimStart('-').Length >= 2)
            return prefixed;
        (string Name, int Distance) best = names.Select(n => (n, Distance(typed.ToLowerInvariant(), n.ToLowerInvariant())))
                                                .OrderBy(c => c.Item2).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(1, typed.TrimStart('-').Length / 3) ? best.Name : null;
    }

    /// <summary>Edit distance counting insertions, deletions, substitutions and swaps of neighbours (<c>alab</c> → <c>alba</c> is 1).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j], d[i, j - 1]) + 1, d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
