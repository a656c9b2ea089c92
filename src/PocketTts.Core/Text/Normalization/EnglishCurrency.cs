using System.Globalization;
using System.Text.RegularExpressions;

namespace PocketTts.Text.Normalization;

/// <summary>
/// Money in dollars, pounds and euros: "$5" → "five dollars", "$1.50" → "one dollar and fifty cents" (always with
/// "and"), "$0.99" → "ninety-nine cents", "£1.01" → "one pound and one penny", "€5", "5 €" and "5€" → "five euros"
/// (any of the symbols may also follow the amount), "$2 million" and "$2m" → "two million dollars", "$2.5bn" → "two
/// point five billion dollars". An amount with more than two decimals is read as a decimal ("$1.505" → "one point
/// five zero five dollars"). Other currencies (¥, ₹, "USD") are left to the number rules.
/// </summary>
internal static partial class EnglishCurrency
{
    private sealed record Currency(string One, string Many, string Cent, string Cents);

    private static readonly Dictionary<char, Currency> Currencies = new()
    {
        ['$'] = new("dollar", "dollars", "cent", "cents"),
        ['£'] = new("pound", "pounds", "penny", "pence"),
        ['€'] = new("euro", "euros", "cent", "cents"),
    };

    private static readonly Dictionary<string, string> ScaleAbbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["k"] = "thousand",
        ["m"] = "million",
        ["b"] = "billion",
        ["bn"] = "billion",
    };

    public static string Apply(string text)
    {
        text = SpokenReplacement.Replace(SymbolFirst(), text, (_, m) => Words(m));
        return SpokenReplacement.Replace(SymbolAfter(), text, (_, m) => Words(m));
    }

    private static string Words(Match m)
    {
        Currency currency = Currencies[m.Groups["symbol"].Value[0]];
        Group scale = m.Groups["scale"], fraction = m.Groups["frac"];
        if (scale.Success)
            return $"{EnglishNumbers.Number(m)} {ScaleAbbreviations.GetValueOrDefault(scale.Value, scale.Value)} {currency.Many}";
        if (fraction.Success && fraction.Length > 2)
            return $"{EnglishNumbers.Number(m)} {currency.Many}";

        string sign = EnglishNumbers.SignWords(m);
        string integer = m.Groups["int"].Value;
        bool one = integer == "1";
        string main = $"{EnglishNumbers.Integer(integer)} {(one ? currency.One : currency.Many)}";
        int cents = fraction.Success ? int.Parse(fraction.Value.PadRight(2, '0'), NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        if (cents == 0)
            return sign + main;
        string change = $"{EnglishNumbers.Cardinal(cents)} {(cents == 1 ? currency.Cent : currency.Cents)}";
        return integer.Trim('0', ',').Length == 0 ? sign + change : $"{sign}{main} and {change}";
    }

    // A scale word after a space, or an abbreviation right after the digits ("$5k", "$2m", "$3bn").
    private const string Scale = @"(?:\s(?<scale>thousand|million|billion|trillion)(?![\p{L}\p{N}])|(?<scale>[kKmMbB]|bn|BN)(?![\p{L}\p{N}]))?";

    [GeneratedRegex(EnglishNumbers.Sign + @"(?<symbol>[$£€])\s?" + EnglishNumbers.Unsigned + Scale, RegexOptions.CultureInvariant)]
    private static partial Regex SymbolFirst();

    [GeneratedRegex(EnglishNumbers.Sign + @"(?<![\p{L}\p{N}.,])" + EnglishNumbers.Unsigned + Scale + @"\s?(?<symbol>[$£€])", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolAfter();
}
