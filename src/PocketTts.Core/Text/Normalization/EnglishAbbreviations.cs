using System.Text.RegularExpressions;

namespace PocketTts.Text.Normalization;

/// <summary>
/// Common English abbreviations, spelled out:
/// <list type="bullet">
/// <item>Titles: Mr. → Mister, Mrs. → Missus, Ms. → Miz, Prof. → Professor, Mt. → Mount; without their period only
/// before a capitalised name ("Mr Smith"). Dr. → Doctor and St. → Saint only before a capitalised name; "Dr."
/// elsewhere is left alone (it may be "Drive").</item>
/// <item>"St." not before a capitalised name → Street.</item>
/// <item>Jr. → Junior, Sr. → Senior, vs./vs → versus, etc. → et cetera, e.g. → for example, i.e. → that is,
/// approx. → approximately; "No." and "#" before a number → number.</item>
/// </list>
/// The abbreviation's period is dropped, except after Street, Junior, Senior and et cetera when it also ends the
/// sentence (end of text, or a capitalised word follows), so the model still hears the sentence end; the price is
/// a stray period in the rare "Sr. Garcia". An expansion is capitalised at the start of a sentence ("E.g. this" →
/// "For example this").
/// </summary>
internal static partial class EnglishAbbreviations
{
    private static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        ["Mr"] = "Mister",
        ["Mrs"] = "Missus",
        ["Ms"] = "Miz",
        ["Dr"] = "Doctor",
        ["Prof"] = "Professor",
        ["St"] = "Saint",
        ["Mt"] = "Mount",
    };

    private static readonly Dictionary<string, (string Words, bool CanEndSentence)> Others = new(StringComparer.OrdinalIgnoreCase)
    {
        ["St"] = ("Street", true),
        ["Jr"] = ("Junior", true),
        ["Sr"] = ("Senior", true),
        ["etc"] = ("et cetera", true),
        ["vs"] = ("versus", false),
        ["approx"] = ("approximately", false),
        ["e.g"] = ("for example", false),
        ["i.e"] = ("that is", false),
        ["No"] = ("number", false),
        ["#"] = ("number", false),
    };

    public static string Apply(string text)
    {
        text = SpokenReplacement.Replace(Title(), text, (_, m) => Titles[m.Groups["abbr"].Value]);
        return SpokenReplacement.Replace(Other(), text, Expand);
    }

    private static string Expand(string text, Match m)
    {
        (string words, bool canEndSentence) = Others[m.Groups["abbr"].Value];
        bool endsSentence = canEndSentence && m.Value.EndsWith('.') && SpokenReplacement.EndsSentence(text, m.Index + m.Length);
        return endsSentence ? words + "." : words;
    }

    [GeneratedRegex(@"(?<![\p{L}\p{N}.])(?:(?<abbr>Mrs|Mr|Ms|Dr|Prof|St|Mt)(?:\.\s*|\s+)(?=\p{Lu})|(?<abbr>Mrs|Mr|Ms|Prof|Mt)\.)", RegexOptions.CultureInvariant)]
    private static partial Regex Title();

    // "No." and "#" only before a number, "vs" also without its period; the rest need the period.
    [GeneratedRegex(@"(?<![\p{L}\p{N}.])(?:(?<abbr>St|Jr|Sr|etc|approx|e\.g|i\.e)\.|(?<abbr>vs)\.?(?![\p{L}\p{N}])|(?<abbr>No)\.(?=\s?[0-9]))|(?<![\p{L}\p{N}#])(?<abbr>#)(?=[0-9])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Other();
}
