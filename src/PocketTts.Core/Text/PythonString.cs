namespace PocketTts.Text;

/// <summary>
/// The parts of Python's <c>str</c> semantics that the reference's text preparation relies on, where .NET differs:
/// what <c>strip()</c> and <c>split()</c> treat as whitespace.
/// </summary>
internal static class PythonString
{
    /// <summary>
    /// <c>str.isspace()</c>: general category Zs or bidirectional class WS, B or S. Unlike <see cref="char.IsWhiteSpace(char)"/>
    /// this includes the separators U+001C–U+001F; neither includes U+200B ZERO WIDTH SPACE. All are in the BMP.
    /// </summary>
    public static bool IsSpace(char c) => c switch
    {
        >= '\t' and <= '\r' or >= '\u001C' and <= ' ' or '\u0085' or '\u00A0' or '\u1680' => true,
        >= '\u2000' and <= '\u200A' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
        _ => false,
    };

    /// <summary><c>str.strip()</c>: removes leading and trailing Python whitespace.</summary>
    public static string Strip(string text)
    {
        int start = 0, end = text.Length;
        while (start < end && IsSpace(text[start]))
            start++;
        while (end > start && IsSpace(text[end - 1]))
            end--;
        return text[start..end];
    }

    /// <summary><c>len(str.split())</c>: the number of runs of non-whitespace characters.</summary>
    public static int WordCount(string text)
    {
        int words = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            bool space = IsSpace(c);
            if (!space && !inWord)
                words++;
            inWord = !space;
        }
        return words;
    }
}
