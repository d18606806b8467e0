namespace Handoff.Storage;

/// <summary>A search of one workspace's audit log, newest first.</summary>
public sealed record AuditQuery
{
    /// <summary>
    /// Keeps the entries whose action, subject, actor name or data contains this text, ignoring case; null or blank
    /// keeps every entry. Data is matched as it reads, with JSON escapes decoded.
    /// </summary>
    public string? Text { get; init; }

    /// <summary>Keyset paging: only entries with a lower sequence, i.e. the last sequence of the page before.</summary>
    public long? BeforeSequence { get; init; }

    /// <summary>At most this many entries, clamped to 1..200. The default is 50.</summary>
    public int Limit { get; init; } = 50;
}
