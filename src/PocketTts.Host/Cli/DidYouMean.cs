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

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
