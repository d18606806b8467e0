using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Handoff.Core.Policy;

/// <summary>
/// Stands between the YAML parser and the representation model to refuse documents that would hurt the
/// server rather than describe a policy. YamlDotNet builds nodes recursively, so a few thousand nested
/// brackets overflow the stack and kill the process (a StackOverflowException cannot be caught); aliases
/// let a few lines expand into billions of nodes ("billion laughs"). Policies need neither.
/// </summary>
internal sealed class GuardedParser(IParser inner) : IParser
{
    private const int MaxDepth = 64;

    private int _depth;

    /// <summary>Why the document was refused, once <see cref="MoveNext"/> has thrown for it.</summary>
    public string? Refusal { get; private set; }

    public ParsingEvent? Current => inner.Current;

    /// <summary>Where the last event parsed successfully ended: the best position for an unexpected parser failure.</summary>
    public Mark Position { get; private set; } = new(0, 1, 1);

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        Position = inner.Current!.End;

        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > MaxDepth:
                Refuse(inner.Current, $"the document is nested more than {MaxDepth} levels deep");
                break;
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
            case AnchorAlias alias:
                Refuse(alias, $"aliases such as '*{alias.Value}' are not supported in a policy; repeat the value instead");
                break;
        }

        return true;
    }

    private void Refuse(ParsingEvent at, string reason)
    {
        Refusal = reason;
        throw new YamlException(at.Start, at.End, reason);
    }
}
