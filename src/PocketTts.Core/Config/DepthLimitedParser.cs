using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PocketTts.Config;

/// <summary>
/// A YAML parser that refuses documents nested deeper than a limit. YamlDotNet's parser is a state machine, but
/// building the representation model recurses once per level, so a file of 100,000 '[' or '- ' overflows the stack
/// and ends the process (no exception can be caught); counting the levels as the events stream by stops it first.
/// </summary>
internal sealed class DepthLimitedParser(IParser inner, int maxDepth) : IParser
{
    private int _depth;

    /// <inheritdoc/>
    public ParsingEvent? Current => inner.Current;

    /// <inheritdoc/>
    public bool MoveNext()
    {
        if (!inner.MoveNext())
            return false;
        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > maxDepth:
                throw new YamlException(inner.Current.Start, inner.Current.End, $"the document is nested more than {maxDepth} levels deep.");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }
        return true;
    }
}
