using System.Text.RegularExpressions;

namespace PocketTts.Text.Normalization;

/// <summary>
/// Units of measure after a number: "5 km" and "5km" → "five kilometers", "1 kg" → "one kilogram",
/// "-3 °C" → "minus three degrees Celsius", "60 km/h" → "sixty kilometers per hour", "2.5 GB" → "two point five
/// gigabytes". A unit is read only right after a number and when no letter follows, so "5 months" and "in 5 m"
/// behave; the ambiguous "s" is read as seconds only after a space ("30 s"), since "1990s" and "80s" are decades.
/// American spelling; singular only for exactly "1".
/// </summary>
internal static partial class EnglishUnits
{
    private static readonly Dictionary<string, (string One, string Many)> Units = new(StringComparer.Ordinal)
    {
        ["km"] = ("kilometer", "kilometers"),
        ["m"] = ("meter", "meters"),
        ["cm"] = ("centimeter", "centimeters"),
        ["mm"] = ("millimeter", "millimeters"),
        ["mi"] = ("mile", "miles"),
        ["ft"] = ("foot", "feet"),
        ["kg"] = ("kilogram", "kilograms"),
        ["g"] = ("gram", "grams"),
        ["mg"] = ("milligram", "milligrams"),
        ["lb"] = ("pound", "pounds"),
        ["lbs"] = ("pound", "pounds"),
        ["oz"] = ("ounce", "ounces"),
        ["L"] = ("liter", "liters"),
        ["ml"] = ("milliliter", "milliliters"),
        ["mL"] = ("milliliter", "milliliters"),
        ["mph"] = ("mile per hour", "miles per hour"),
        ["km/h"] = ("kilometer per hour", "kilometers per hour"),
        ["kph"] = ("kilometer per hour", "kilometers per hour"),
        ["m/s"] = ("meter per second", "meters per second"),
        ["°C"] = ("degree Celsius", "degrees Celsius"),
        ["℃"] = ("degree Celsius", "degrees Celsius"),
        ["°F"] = ("degree Fahrenheit", "degrees Fahrenheit"),
        ["℉"] = ("degree Fahrenheit", "degrees Fahrenheit"),
        ["°"] = ("degree", "degrees"),
        ["kB"] = ("kilobyte", "kilobytes"),
        ["KB"] = ("kilobyte", "kilobytes"),
        ["MB"] = ("megabyte", "megabytes"),
        ["GB"] = ("gigabyte", "gigabytes"),
        ["TB"] = ("terabyte", "terabytes"),
        ["h"] = ("hour", "hours"),
        ["hr"] = ("hour", "hours"),
        ["hrs"] = ("hour", "hours"),
        ["min"] = ("minute", "minutes"),
        ["s"] = ("second", "seconds"),
        ["ms"] = ("millisecond", "milliseconds"),
    };

    public static string Apply(string text) => SpokenReplacement.Replace(Measure(), text, (_, m) =>
    {
        string unit = m.Groups["unit"].Value.Replace(" ", "", StringComparison.Ordinal);
        (string one, string many) = Units[unit];
        bool singular = m.Groups["int"].Value == "1" && !m.Groups["frac"].Success;
        return $"{EnglishNumbers.Number(m)} {(singular ? one : many)}";
    });

    // Longer units first where one is a prefix of another (mph before m, min before mi before m).
    [GeneratedRegex(EnglishNumbers.Sign + @"(?<![\p{L}\p{N}.,])" + EnglishNumbers.Unsigned
        + @"\s?(?<unit>km/h|kph|km|mph|m/s|mm|mg|ml|mL|ms|min|mi|m|cm|ft|kg|g|lbs|lb|oz|L|kB|KB|MB|GB|TB|° ?C|° ?F|°|℃|℉|hrs|hr|h|(?<=\s)s)(?![\p{L}\p{N}/])",
        RegexOptions.CultureInvariant)]
    private static partial Regex Measure();
}
