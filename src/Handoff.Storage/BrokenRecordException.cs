namespace Handoff.Storage;

/// <summary>
/// A stored row the store cannot read back: an audit entry with an unparseable time or a missing field, or a case
/// whose document is not a case or disagrees with the columns the inbox and expiry read. It can only come from someone changing the database underneath Handoff, so it names
/// the row rather than failing with a bare parser error.
/// </summary>
public sealed class BrokenRecordException : FormatException
{
    public BrokenRecordException()
    {
    }

    public BrokenRecordException(string message)
        : base(message)
    {
    }

    public BrokenRecordException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The audit entry that is broken; null for a case.</summary>
    public long? Sequence { get; init; }

    /// <summary>The case that is broken; null for an audit entry.</summary>
    public string? CaseId { get; init; }

    /// <summary>An audit entry that cannot be read: "entry N is broken: …".</summary>
    public static BrokenRecordException Entry(long sequence, string problem, Exception? inner = null) =>
        new($"entry {sequence} is broken: {problem}", inner) { Sequence = sequence };

    /// <summary>A case whose document cannot be read, or whose columns disagree with it: "case ID is broken: …".</summary>
    public static BrokenRecordException Case(string caseId, string problem, Exception? inner = null) =>
        new($"case {caseId} is broken: {problem}", inner) { CaseId = caseId };
}
