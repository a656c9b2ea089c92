using System.Globalization;
using Humanizer;

namespace PocketTts.Text.Normalization;

/// <summary>A noun that follows a number: its singular, its plural and the gender the number agrees with.</summary>
internal sealed record Noun(string One, string Many, GrammaticalGender Gender = GrammaticalGender.Masculine)
{
    /// <summary>The form after a whole amount, written <paramref name="digits"/>: singular for exactly one.</summary>
    public string For(string digits) => digits == "1" ? One : Many;
}

/// <summary>A currency: the unit and its hundredth ("euro" and "centime").</summary>
internal sealed record Currency(Noun Unit, Noun Cent);

/// <summary>
/// What one language writes and says, for <see cref="LanguageNormalizer"/>: how numbers are written (separators,
/// ordinal marks), the words Humanizer does not give (decimal mark, minus, percent, currencies, units,
/// abbreviations, months), and the few readings that differ between languages (times, dates, years, a number before
/// a noun). Number words themselves come from Humanizer through <see cref="Culture"/>.
/// </summary>
internal abstract class LanguageRules
{
    /// <summary>The culture Humanizer's number words are taken from.</summary>
    public abstract CultureInfo Culture { get; }

    /// <summary>The characters that group thousands ("1.234" or "1 234"); the decimal mark is ',' (or a '.' that groups nothing).</summary>
    public abstract string GroupSeparators { get; }

    /// <summary>The word for the decimal mark: "virgule", "Komma".</summary>
    public abstract string DecimalWord { get; }

    /// <summary>The word for a minus sign before a number.</summary>
    public abstract string MinusWord { get; }

    /// <summary>The words for "%".</summary>
    public abstract string PercentWords { get; }

    /// <summary>The word between a currency's units and its cents ("trois euros et cinquante centimes").</summary>
    public abstract string CentsJoin { get; }

    /// <summary>Regex alternatives for the ordinal marks written right after digits; a mark in group <c>fem</c> is feminine.</summary>
    public abstract string OrdinalMarks { get; }

    /// <summary>The currency symbols read before or after an amount ("€", "$", "£", "R$").</summary>
    public abstract IReadOnlyDictionary<string, Currency> Currencies { get; }

    /// <summary>Unit symbols read after a number ("km", "°C"), each with its noun.</summary>
    public abstract IReadOnlyDictionary<string, Noun> Units { get; }

    /// <summary>Titles read before a capitalised name ("M." → "monsieur"), as written, period included.</summary>
    public abstract IReadOnlyDictionary<string, string> Titles { get; }

    /// <summary>
    /// Other abbreviations as written ("etc." → "et cetera"). Those that can end a sentence keep their period when
    /// they do (the text ends or a capitalised word follows), so the model still hears the sentence end.
    /// </summary>
    public abstract IReadOnlyDictionary<string, (string Words, bool CanEndSentence)> Abbreviations { get; }

    /// <summary>The twelve month names, January first.</summary>
    public abstract IReadOnlyList<string> Months { get; }

    /// <summary>
    /// The longest integer, in digits, that Humanizer reads in this language (18 in most; longer ones, and those with
    /// a leading zero, are codes read digit by digit).
    /// </summary>
    public virtual int MaxCardinalDigits => 18;

    /// <summary>Whether "10h30" and "10 h 30" are clock times, as in French and Portuguese.</summary>
    public virtual bool HourLetter => false;

    /// <summary>A word written after a clock time that the time's reading already says ("Uhr").</summary>
    public virtual string? ClockWord => null;

    /// <summary>Words that end a large cardinal ("million"), after which a noun takes <see cref="LargeAmount"/>.</summary>
    public virtual IReadOnlyList<string> LargeNumberWords => [];

    /// <summary>
    /// An amount whose words end with one of <see cref="LargeNumberWords"/> and its noun: "un millón de euros". By
    /// default no word comes between.
    /// </summary>
    public virtual string LargeAmount(string words, string noun) => $"{words} {noun}";

    /// <summary>A cardinal on its own: 21 → "vingt et un".</summary>
    public virtual string Cardinal(long n) => n.ToWords(Culture);

    /// <summary>A cardinal before a noun of the given gender: "une livre", "un euro", "ein Euro".</summary>
    public virtual string Counted(long n, GrammaticalGender gender) => n.ToWords(gender, Culture);

    /// <summary>An ordinal written with one of <see cref="OrdinalMarks"/>: 1 → "premier", feminine "première".</summary>
    /// <param name="n">The number.</param>
    /// <param name="gender">Feminine when the mark is (group <c>fem</c>).</param>
    /// <param name="mark">The mark as written ("er", ".º").</param>
    /// <param name="before">The text before the number, for languages where the case depends on it.</param>
    public virtual string Ordinal(int n, GrammaticalGender gender, string mark, string before) => n.ToOrdinalWords(gender, Culture);

    /// <summary>A four-digit number from 1000 to 2099 written without separators, which is most often a year.</summary>
    public virtual string Year(int year) => Cardinal(year);

    /// <summary>The digits after the decimal mark: leading zeros one by one, then the rest as a number ("05" → "zéro cinq").</summary>
    public virtual string Fraction(string digits)
    {
        int zeros = digits.Length - digits.TrimStart('0').Length;
        string rest = digits[zeros..];
        IEnumerable<string> words = Enumerable.Repeat(Cardinal(0), zeros);
        if (rest.Length is > 0 and <= 3)
            words = words.Append(Cardinal(long.Parse(rest, NumberStyles.None, CultureInfo.InvariantCulture)));
        else
            words = words.Concat(rest.Select(d => Cardinal(d - '0')));
        return string.Join(' ', words);
    }

    /// <summary>A clock time, 0 to 23 hours: "10:30" → "dix heures trente".</summary>
    public abstract string Time(int hour, int minute);

    /// <summary>A numeric date, day first ("3/5/2024") → "trois mai deux mille vingt-quatre".</summary>
    /// <param name="day">1 to 31.</param>
    /// <param name="month">1 to 12.</param>
    /// <param name="year">Four digits.</param>
    /// <param name="before">The text before the date.</param>
    public virtual string Date(int day, int month, int year, string before) =>
        $"{DayOfMonth(day, before)} {Months[month - 1]} {Year(year)}";

    /// <summary>The day in a date: a cardinal in most languages, "premier" for the first in French.</summary>
    public virtual string DayOfMonth(int day, string before) => Cardinal(day);
}
