using System.Collections;

namespace Handoff.Core.Routing;

/// <summary>
/// A small set of names compared without regard to case: a person's or a case's skills, a person's languages. Kept
/// lower-cased and sorted, so that "has every required skill" is one merge walk with no hashing and no allocation —
/// routing asks it of every member for every case. Immutable; equal when the names are.
/// </summary>
public sealed class TagSet : IReadOnlyCollection<string>, IEquatable<TagSet>
{
    private readonly string[] _tags;

    /// <summary>The set with no names: a case that needs no skill, a person who lists none.</summary>
    public static TagSet Empty { get; } = new([]);

    /// <exception cref="ArgumentException">A name is null, empty or only white space.</exception>
    public TagSet(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var normalized = new List<string>();
        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                throw new ArgumentException("A skill or language name cannot be empty.", nameof(tags));
            }

            normalized.Add(tag.Trim().ToLowerInvariant());
        }

        normalized.Sort(StringComparer.Ordinal);
        _tags = [.. normalized.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The set of <paramref name="tags"/>, or <see cref="Empty"/> when there are none.</summary>
    public static TagSet Of(params IEnumerable<string> tags) => tags.Any() ? new TagSet(tags) : Empty;

    public int Count => _tags.Length;

    /// <summary>Whether <paramref name="tag"/> is in the set, whatever its case.</summary>
    public bool Contains(string tag)
    {
        // Sets hold a handful of names; a scan beats hashing at that size and needs no lower-cased copy of the argument.
        foreach (var own in _tags)
        {
            if (string.Equals(own, tag, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether every name in <paramref name="required"/> is in this set: both are sorted, so one walk decides.</summary>
    public bool ContainsAll(TagSet required)
    {
        ArgumentNullException.ThrowIfNull(required);
        var have = _tags;
        var j = 0;
        foreach (var tag in required._tags)
        {
            while (j < have.Length && string.CompareOrdinal(have[j], tag) < 0)
            {
                j++;
            }

            if (j == have.Length || !string.Equals(have[j], tag, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(TagSet? other) => other is not null && _tags.AsSpan().SequenceEqual(other._tags);

    public override bool Equals(object? obj) => Equals(obj as TagSet);

    public override int GetHashCode() => _tags.Length == 0 ? 0 : HashCode.Combine(_tags.Length, _tags[0]);

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_tags).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", _tags);
}
