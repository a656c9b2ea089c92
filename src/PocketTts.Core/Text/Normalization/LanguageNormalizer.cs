using System.Globalization;
using System.Text.RegularExpressions;
using Humanizer;

namespace PocketTts.Text.Normalization;

/// <summary>
/// Text normalisation for a language other than English, driven by its <see cref="LanguageRules"/>. The rules run in
/// the order where each sees what it expects: abbreviations first ("n° 5" still sees its number), then money before
/// decimals ("3,50 €"), clock times before numbers ("10:30"), numeric dates ("03.05.2024") before decimals, measures
/// and percentages before bare numbers, ordinals ("1er", "2º") before cardinals, and last every number left
/// ("-1.234,5"). Words that replace a numeral at the start of a sentence are capitalised; text without digits,
/// symbols or abbreviations is returned unchanged. Thread-safe.
/// </summary>
internal sealed class LanguageNormalizer : ITextNormalizer
{
    private const string Sign = @"(?:(?<=^|[\s(\[{""'/])(?<sign>[-−]))?";
    private const string NotInWord = @"(?<![\p{L}\p{N}.,])";
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    private readonly LanguageRules _rules;
    private readonly Regex? _title, _abbreviation;
    private readonly Regex _currencyFirst, _currencyAfter, _clock, _date, _measure, _percent, _ordinal, _number;

    public LanguageNormalizer(LanguageRules rules)
    {
        _rules = rules;
        // The integer part with valid thousands groups ("1.234.567", "1 234") or none, then an optional fraction
        // after ',' (or after a '.' that does not group three digits: "3.5" is a decimal in every language).
        string unsigned = $@"(?<int>[0-9]{{1,3}}(?:[{Regex.Escape(rules.GroupSeparators)}][0-9]{{3}})+(?![0-9])|[0-9]+)(?:[,.](?<frac>[0-9]+))?";
        _title = Alternatives(rules.Titles.Keys) is { } titles
            ? new Regex($@"(?<![\p{{L}}\p{{N}}.])(?<abbr>{titles})(?=\s+\p{{Lu}})", Options) : null;
        _abbreviation = Alternatives(rules.Abbreviations.Keys) is { } abbreviations
            ? new Regex($@"(?<![\p{{L}}\p{{N}}.])(?<abbr>{abbreviations})", Options) : null;
        string symbols = Alternatives(rules.Currencies.Keys)!;
        _currencyFirst = new Regex($@"{Sign}(?<symbol>{symbols})\s?{unsigned}", Options);
        _currencyAfter = new Regex($@"{Sign}{NotInWord}{unsigned}\s?(?<symbol>{symbols})", Options);
        string minute = "(?<minute>[0-5][0-9])", hour = "(?<hour>[01]?[0-9]|2[0-3])";
        string clockWord = rules.ClockWord is { } word ? $@"(?:\s{Regex.Escape(word)}(?![\p{{L}}]))?" : "";
        string letterForm = rules.HourLetter ? $@"|{hour}\s?h(?:\s?{minute})?(?![\p{{L}}\p{{N}}])" : "";
        _clock = new Regex($@"(?<![\p{{L}}\p{{N}}:.,])(?:{hour}:{minute}(?![\p{{N}}]|:[0-9]){clockWord}{letterForm})", Options);
        _date = new Regex(@"(?<![\p{L}\p{N}.,/-])(?<day>0?[1-9]|[12][0-9]|3[01])(?<sep>[./-])(?<month>0?[1-9]|1[0-2])\k<sep>(?<year>[0-9]{4})(?![\p{N}])", Options);
        // A unit is not followed by a letter, digit, slash or apostrophe ("2 l'ont vu" has no litres).
        _measure = new Regex($@"{Sign}{NotInWord}{unsigned}\s?(?<unit>{Alternatives(rules.Units.Keys)})(?![\p{{L}}\p{{N}}/'’])", Options);
        _percent = new Regex($@"{Sign}{NotInWord}{unsigned}\s?%", Options);
        _ordinal = new Regex($@"{NotInWord}(?<int>[0-9]{{1,6}})(?:{rules.OrdinalMarks})(?![\p{{L}}\p{{N}}])", Options);
        _number = new Regex($@"{Sign}(?<![\p{{N}}]){unsigned}", Options);
    }

    public string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_title is not null)
            text = SpokenReplacement.Replace(_title, text, (_, m) => _rules.Titles[m.Groups["abbr"].Value]);
        if (_abbreviation is not null)
            text = SpokenReplacement.Replace(_abbreviation, text, Abbreviation);
        text = SpokenReplacement.Replace(_currencyFirst, text, (_, m) => Money(m));
        text = SpokenReplacement.Replace(_currencyAfter, text, (_, m) => Money(m));
        text = SpokenReplacement.Replace(_clock, text, (_, m) => _rules.Time(Int(m, "hour"), m.Groups["minute"].Success ? Int(m, "minute") : 0));
        text = SpokenReplacement.Replace(_date, text, (t, m) => _rules.Date(Int(m, "day"), Int(m, "month"), Int(m, "year"), t[..m.Index]));
        text = SpokenReplacement.Replace(_measure, text, (_, m) => Amount(m, _rules.Units[m.Groups["unit"].Value]));
        text = SpokenReplacement.Replace(_percent, text, (_, m) => $"{Number(m)} {_rules.PercentWords}");
        text = SpokenReplacement.Replace(_ordinal, text, (t, m) => _rules.Ordinal(
            Int(m, "int"), m.Groups["fem"].Success ? GrammaticalGender.Feminine : GrammaticalGender.Masculine, m.Value[m.Groups["int"].Length..], t[..m.Index]));
        return SpokenReplacement.Replace(_number, text, (_, m) => Number(m));
    }

    /// <summary>The keys as regex alternatives, longest first (so "km/h" wins over "km"); a key that ends in a letter must end the word.</summary>
    private static string? Alternatives(IEnumerable<string> keys)
    {
        string[] escaped = [.. keys.OrderByDescending(k => k.Length)
            .Select(k => Regex.Escape(k) + (char.IsLetter(k[^1]) ? @"(?![\p{L}])" : ""))];
        return escaped.Length == 0 ? null : string.Join('|', escaped);
    }

    private string Abbreviation(string text, Match m)
    {
        string written = m.Groups["abbr"].Value;
        (string words, bool canEndSentence) = _rules.Abbreviations[written];
        bool endsSentence = canEndSentence && written.EndsWith('.') && SpokenReplacement.EndsSentence(text, m.Index + m.Length);
        return endsSentence ? words + "." : words;
    }

    /// <summary>"3,50 €" → "trois euros et cinquante centimes", "0,99 $" → the cents alone, "1,505 €" → a decimal.</summary>
    private string Money(Match m)
    {
        Currency currency = _rules.Currencies[m.Groups["symbol"].Value];
        Group fraction = m.Groups["frac"];
        if (fraction.Success && fraction.Length > 2)
            return $"{Number(m)} {currency.Unit.Many}";
        string integer = Digits(m.Groups["int"].Value);
        int cents = fraction.Success ? int.Parse(fraction.Value.PadRight(2, '0'), NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        string main = Counted(integer, currency.Unit);
        if (cents == 0)
            return SignWords(m) + main;
        string change = Counted(cents.ToString(CultureInfo.InvariantCulture), currency.Cent);
        return SignWords(m) + (integer.Trim('0').Length == 0 ? change : $"{main} {_rules.CentsJoin} {change}");
    }

    /// <summary>A number followed by its noun: "une livre", "deux kilomètres", "un million d'euros", "1,5 kg" → a decimal and the plural.</summary>
    private string Amount(Match m, Noun noun) => m.Groups["frac"].Success
        ? $"{Number(m)} {noun.Many}"
        : SignWords(m) + Counted(Digits(m.Groups["int"].Value), noun);

    private string Counted(string digits, Noun noun)
    {
        string name = noun.For(digits);
        if (IsCode(digits))
            return $"{DigitByDigit(digits)} {name}";
        string words = _rules.Counted(long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture), noun.Gender);
        return _rules.LargeNumberWords.Any(w => words.EndsWith(" " + w, StringComparison.Ordinal))
            ? _rules.LargeAmount(words, name) : $"{words} {name}";
    }

    /// <summary>"-1.234,05" → "moins mille deux cent trente-quatre virgule zéro cinq"; "1999" → a year.</summary>
    private string Number(Match m)
    {
        Group integer = m.Groups["int"], fraction = m.Groups["frac"];
        string digits = Digits(integer.Value);
        bool year = digits.Length == 4 && integer.Value == digits && !fraction.Success && !m.Groups["sign"].Success
            && (digits[0] == '1' || digits.StartsWith("20", StringComparison.Ordinal));
        string words = IsCode(digits) ? DigitByDigit(digits)
            : year ? _rules.Year(int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture))
            : _rules.Cardinal(long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture));
        if (fraction.Success)
            words += $" {_rules.DecimalWord} {_rules.Fraction(fraction.Value)}";
        return SignWords(m) + words;
    }

    private string SignWords(Match m) => m.Groups["sign"].Success ? _rules.MinusWord + " " : "";

    private static string Digits(string written) => string.Concat(written.Where(char.IsAsciiDigit));

    /// <summary>A leading zero ("007") or more digits than the language's number words reach: a code, read digit by digit.</summary>
    private bool IsCode(string digits) => (digits.Length > 1 && digits[0] == '0') || digits.Length > _rules.MaxCardinalDigits;

    private string DigitByDigit(string digits) => string.Join(' ', digits.Select(d => _rules.Cardinal(d - '0')));

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
}
