using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;

namespace PocketTts.Host.Cli;

/// <summary>
/// What an option accepts, in words a user reads ("a whole number ≥ 1"), and the check behind it. The parser
/// rejects a value outside the rule, so every such mistake is reported by <see cref="ParseErrorReport"/> in the
/// same one-line form as a value that is not a number at all.
/// </summary>
internal static class OptionRules
{
    private static readonly ConditionalWeakTable<Option, string> Accepted = [];

    /// <summary>Declares what <paramref name="option"/> accepts; a given value failing <paramref name="isAccepted"/> is a parse error.</summary>
    public static Option<T> Accepts<T>(this Option<T> option, string accepted, Func<T, bool> isAccepted)
    {
        Accepted.Add(option, accepted);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && TryConvert(result, out T value) && !isAccepted(value))
                result.AddError(accepted);
        });
        return option;
    }

    /// <summary>Validators run before conversion; a value that does not convert is left to the parser's own error.</summary>
    private static bool TryConvert<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    /// <summary>A whole number no smaller than <paramref name="minimum"/>; <paramref name="note"/> follows it in messages.</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum, string note = "") =>
        option.Accepts($"a whole number ≥ {minimum}{note}", value => value >= minimum);

    /// <summary>When given, a whole number no smaller than <paramref name="minimum"/>.</summary>
    public static Option<int?> AtLeast(this Option<int?> option, int minimum) =>
        option.Accepts($"a whole number ≥ {minimum}", value => value is null || value >= minimum);

    /// <summary>When given, a finite number above zero, or also zero when <paramref name="zeroAllowed"/>.</summary>
    public static Option<float?> Positive(this Option<float?> option, bool zeroAllowed = false) =>
        option.Accepts(zeroAllowed ? "a number ≥ 0" : "a number > 0",
                       value => value is not { } v || (float.IsFinite(v) && (v > 0 || (zeroAllowed && v == 0))));

    /// <summary>What the option accepts: its declared rule, or the kind of value its type parses (null for text).</summary>
    public static string? Describe(Option option) => Accepted.TryGetValue(option, out string? accepted) ? accepted : DescribeType(option.ValueType);

    private static string? DescribeType(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(float) || t == typeof(double) => "a number",
        var t when t == typeof(bool) => "true or false (or nothing)",
        _ => null,
    };
}
