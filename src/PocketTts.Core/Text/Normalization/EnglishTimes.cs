using System.Globalization;
using System.Text.RegularExpressions;

namespace PocketTts.Text.Normalization;

/// <summary>
/// Clock times: "3:30" → "three thirty", "10:05" → "ten oh five", "7:00" → "seven o'clock", "14:00" →
/// "fourteen hundred", "7:00 pm" and "7pm" → "seven P M" (spelled as letters so the model does not say "am" the
/// verb). A final "a.m."/"p.m." keeps its period when it ends the sentence.
/// </summary>
internal static partial class EnglishTimes
{
    private const int LastTwelveHour = 12;

    public static string Apply(string text) =>
        SpokenReplacement.Replace(HourOnly(), SpokenReplacement.Replace(Clock(), text, Words), Words);

    private static string Words(string text, Match m)
    {
        int hour = int.Parse(m.Groups["hour"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        Group minuteGroup = m.Groups["minute"], meridiem = m.Groups["meridiem"];
        string words = EnglishNumbers.Cardinal(hour);
        int minute = minuteGroup.Success ? int.Parse(minuteGroup.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        if (minute > 0)
            words += minute < 10 ? " oh " + EnglishNumbers.Cardinal(minute) : " " + EnglishNumbers.Cardinal(minute);
        else if (minuteGroup.Success && !meridiem.Success)
            words += hour is >= 1 and <= LastTwelveHour ? " o'clock" : " hundred";
        if (!meridiem.Success)
            return words;

        words += char.ToUpperInvariant(meridiem.Value[0]) == 'A' ? " A M" : " P M";
        bool dotted = meridiem.Value.EndsWith('.');
        return dotted && SpokenReplacement.EndsSentence(text, m.Index + m.Length) ? words + "." : words;
    }

    private const string Meridiem = @"(?:\s?(?<meridiem>[AaPp](?:\.\s?[Mm]\.|[Mm](?![\p{L}\p{N}]))))";

    [GeneratedRegex(@"(?<![\p{L}\p{N}:.,])(?<hour>[01]?[0-9]|2[0-3]):(?<minute>[0-5][0-9])(?![\p{N}]|:[0-9])" + Meridiem + "?", RegexOptions.CultureInvariant)]
    private static partial Regex Clock();

    [GeneratedRegex(@"(?<![\p{L}\p{N}:.,])(?<hour>1[0-2]|0?[1-9])" + Meridiem, RegexOptions.CultureInvariant)]
    private static partial Regex HourOnly();
}
