using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PocketTts.Config;

/// <summary>
/// Strict reading of one YAML mapping, as the reference's pydantic models (<c>extra="forbid"</c>) read it. Every
/// key a section is asked for becomes a known key; <see cref="ThrowIfInvalid"/> then reports, all at once and on
/// one line, every missing or mistyped value and every key no section asked for, naming each by its dotted path.
/// A missing or mistyped value reads as a default so that reading can go on and find the other problems.
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode? _node;   // null: the section itself is missing or not a mapping (already reported)
    private readonly string _path;             // dotted prefix of this section's keys, "" at the top level
    private readonly List<string> _known = [];
    private readonly List<YamlSection> _all;   // every section of the document, for the unknown-key check
    private readonly List<string> _problems;   // shared by the whole document

    private YamlSection(YamlMappingNode? node, string path, List<YamlSection> all, List<string> problems)
    {
        _node = node;
        _path = path;
        _all = all;
        _problems = problems;
        all.Add(this);
    }

    /// <summary>The top-level mapping of a document.</summary>
    public static YamlSection Root(YamlMappingNode node) => new(node, "", [], []);

    /// <summary>A required nested mapping.</summary>
    public YamlSection Child(string key)
    {
        YamlNode? value = Value(key, required: true);
        if (value is not null and not YamlMappingNode)
            Problem(key, "must be a mapping of keys to values");
        return new YamlSection(value as YamlMappingNode, _path + key + ".", _all, _problems);
    }

    /// <summary>A required string.</summary>
    public string String(string key) => Scalar(key, required: true) ?? "";

    /// <summary>An optional string (absent or null: null).</summary>
    public string? OptionalString(string key) => Scalar(key, required: false);

    /// <summary>A required integer.</summary>
    public int Int(string key) => ParseInt(key, Scalar(key, required: true)) ?? 0;

    /// <summary>An optional integer.</summary>
    public int? OptionalInt(string key) => ParseInt(key, Scalar(key, required: false));

    /// <summary>A required integer in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public int Int(string key, int min, int max) => CheckRange(key, ParseInt(key, Scalar(key, required: true)), min, max) ?? 0;

    /// <summary>An optional integer in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public int? OptionalInt(string key, int min, int max) => CheckRange(key, OptionalInt(key), min, max);

    /// <summary>A required number.</summary>
    public double Double(string key) => ParseDouble(key, Scalar(key, required: true)) ?? 0;

    /// <summary>An optional number.</summary>
    public double? OptionalDouble(string key) => ParseDouble(key, Scalar(key, required: false));

    /// <summary>A required finite number greater than 0.</summary>
    public double PositiveDouble(string key) => CheckPositive(key, ParseDouble(key, Scalar(key, required: true))) ?? 0;

    /// <summary>An optional finite number greater than 0.</summary>
    public double? OptionalPositiveDouble(string key) => CheckPositive(key, OptionalDouble(key));

    /// <summary>Reports <paramref name="problem"/> for <paramref name="key"/> (already read) unless <paramref name="valid"/>.</summary>
    public void Require(bool valid, string key, string problem)
    {
        if (!valid)
            Problem(key, problem);
    }

    /// <summary>An optional boolean (YAML 1.1 spellings, as PyYAML reads them).</summary>
    public bool? OptionalBool(string key) => Scalar(key, required: false) switch
    {
        null => null,
        "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" => true,
        "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" => false,
        string other => Problem<bool?>(key, $"must be true or false, got '{other}'"),
    };

    /// <summary>An optional string that must be one of <paramref name="accepted"/> (absent or null: null).</summary>
    public string? OptionalOneOf(string key, params string[] accepted) => CheckOneOf(key, OptionalString(key), accepted);

    /// <summary>A required string that must be one of <paramref name="accepted"/>.</summary>
    public string OneOf(string key, params string[] accepted) => CheckOneOf(key, Scalar(key, required: true), accepted) ?? "";

    /// <summary>
    /// An optional mapping of strings to strings (absent or null: empty). Values must be strings, as pydantic's
    /// <c>dict[str, str]</c> demands: an unquoted empty value is YAML's null, not "", and is an error.
    /// </summary>
    public IReadOnlyDictionary<string, string> OptionalStringMap(string key)
    {
        YamlNode? value = Value(key, required: false);
        if (value is null)
            return new Dictionary<string, string>();
        if (value is YamlMappingNode mapping
            && mapping.Children.All(p => p.Key is YamlScalarNode { Value.Length: > 0 } && p.Value is YamlScalarNode v && !IsNull(v)))
            return mapping.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "", StringComparer.Ordinal);
        return Problem<IReadOnlyDictionary<string, string>>(key, "must be a mapping of non-empty strings to strings (quote an empty replacement: '')")
            ?? new Dictionary<string, string>();
    }

    /// <summary>A required, non-empty list of integers, each in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public IReadOnlyList<int> IntList(string key, int min, int max)
    {
        int problems = _problems.Count;
        IReadOnlyList<int> values = IntList(key);
        if (_node is not null && _problems.Count == problems && (values.Count == 0 || values.Any(v => v < min || v > max)))
            Problem(key, $"must be a non-empty list of integers between {min} and {max}, got [{string.Join(", ", values)}]");
        return values;
    }

    /// <summary>A required list of integers.</summary>
    public IReadOnlyList<int> IntList(string key)
    {
        YamlNode? value = Value(key, required: true);
        if (value is null)
            return [];
        if (value is YamlSequenceNode sequence
            && sequence.Children.All(c => c is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
            return [.. sequence.Children.Select(c => int.Parse(((YamlScalarNode)c).Value!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))];
        return Problem<IReadOnlyList<int>>(key, "must be a list of integers") ?? [];
    }

    /// <summary>Throws when anything read from the document was missing, mistyped or unknown.</summary>
    /// <param name="source">Names the document in the message.</param>
    /// <exception cref="InvalidDataException">Lists every problem.</exception>
    public void ThrowIfInvalid(string source)
    {
        var problems = new List<string>(_problems);
        bool unknownKeys = false;
        foreach (YamlSection section in _all)
        {
            if (section._node is null)
                continue;
            foreach (YamlNode keyNode in section._node.Children.Keys)
            {
                string key = keyNode is YamlScalarNode { Value: { } name } ? name : keyNode.ToString();
                if (section._known.Contains(key))
                    continue;
                string where = section._path.Length == 0 ? "the top level" : section._path.TrimEnd('.');
                problems.Add($"{section._path}{key} is not a known key ({where} accepts {string.Join(", ", section._known)}).");
                unknownKeys = true;
            }
        }
        if (problems.Count > 0)
            throw new InvalidDataException($"{source}: {string.Join(" ", problems)}{(unknownKeys ? " Did you make a typo?" : "")}");
    }

    private YamlNode? Value(string key, bool required)
    {
        _known.Add(key);
        if (_node is null)
            return null;
        if (_node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) && !IsNull(value))
            return value;
        if (required)
            Problem(key, "is required");
        return null;
    }

    private string? Scalar(string key, bool required) => Value(key, required) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value,
        _ => Problem<string>(key, "must be a single value, not a list or a mapping"),
    };

    // YAML 1.1 nulls, as PyYAML's safe_load reads them: only unquoted scalars mean null.
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private int? ParseInt(string key, string? text) => text is null ? null
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v
        : Problem<int?>(key, $"must be an integer, got '{text}'");

    private int? CheckRange(string key, int? value, int min, int max) =>
        value is not { } v || (v >= min && v <= max) ? value
        : Problem<int?>(key, $"must be between {min} and {max}, got {v}");

    private double? CheckPositive(string key, double? value) =>
        value is not { } v || (double.IsFinite(v) && v > 0) ? value
        : Problem<double?>(key, $"must be a finite number greater than 0, got {v.ToString(CultureInfo.InvariantCulture)}");

    private double? ParseDouble(string key, string? text) => text is null ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
        : Problem<double?>(key, $"must be a number, got '{text}'");

    private string? CheckOneOf(string key, string? text, string[] accepted) =>
        text is null || accepted.Contains(text, StringComparer.Ordinal) ? text
        : Problem<string>(key, $"must be one of {string.Join(", ", accepted)}, got '{text}'");

    private void Problem(string key, string problem) => _problems.Add($"{_path}{key} {problem}.");

    private T? Problem<T>(string key, string problem)
    {
        Problem(key, problem);
        return default;
    }
}
