using System.Data.Common;
using System.Globalization;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Storage.Relational;

/// <summary>
/// How .NET values become column values and back, the same for both backends. Times are fixed-width UTC text (see
/// <see cref="Time(DateTimeOffset)"/>) in PostgreSQL too: exact to the tick, which the audit chain's hashes and the
/// document columns need, and ordered as text is ordered under the "C" collation the schema gives those columns.
/// </summary>
internal static class DbValues
{
    // Fixed-width UTC text with all seven fraction digits: exact to the tick, and ordered as text is ordered.
    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? at) => at is { } value ? Time(value) : null;

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);

    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static DateTimeOffset? ReadTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ParseTime(reader.GetString(ordinal));

    public static string? ReadString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static string Status(CaseStatus status) => status switch
    {
        CaseStatus.Pending => "pending",
        CaseStatus.Assigned => "assigned",
        CaseStatus.Escalated => "escalated",
        CaseStatus.Approved => "approved",
        CaseStatus.Rejected => "rejected",
        CaseStatus.Responded => "responded",
        CaseStatus.Blocked => "blocked",
        CaseStatus.TakenOver => "takenOver",
        CaseStatus.HandedBack => "handedBack",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Outcome(Outcome outcome) => outcome switch
    {
        Core.Policy.Outcome.Auto => "auto",
        Core.Policy.Outcome.Review => "review",
        Core.Policy.Outcome.Escalate => "escalate",
        Core.Policy.Outcome.Block => "block",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static string Role(ApiKeyRole role) => role switch
    {
        ApiKeyRole.Agent => "agent",
        ApiKeyRole.Reviewer => "reviewer",
        ApiKeyRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static ApiKeyRole ParseRole(string text) => text switch
    {
        "agent" => ApiKeyRole.Agent,
        "reviewer" => ApiKeyRole.Reviewer,
        "admin" => ApiKeyRole.Admin,
        _ => throw new InvalidDataException($"Unknown API key role '{text}' in the database."),
    };

    public static string UserRole(UserRole role) => role switch
    {
        Storage.UserRole.Reviewer => "reviewer",
        Storage.UserRole.Supervisor => "supervisor",
        Storage.UserRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>An enum as its lowercase name (an assignment mode, a presence), read back by <see cref="ParseName{T}"/>.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum =>
        Enum.IsDefined(value) ? value.ToString().ToLowerInvariant() : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    /// <summary>
    /// Reads an enum written as its lowercase name: a status, outcome or user role column, or a verdict in a case
    /// document. Numbers and unknown names are refused rather than read as some value.
    /// </summary>
    public static T ParseName<T>(string text)
        where T : struct, Enum =>
        text.Length > 0 && char.IsAsciiLetterLower(text[0]) && Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException($"Unknown {typeof(T).Name} '{text}' in the database.");

    public static TCommand Bind<TCommand>(this TCommand command, string name, object? value)
        where TCommand : DbCommand
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
