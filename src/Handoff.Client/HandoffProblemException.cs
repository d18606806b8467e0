using System.Net;
using System.Text.Json;

namespace Handoff.Client;

/// <summary>
/// The server answered with an error: an RFC 9457 problem document (or, from something in between such as a proxy,
/// any other error body). For a 400, <see cref="Errors"/> names every bad field by its JSON path
/// (<c>proposal.confidence</c>, <c>expiresIn</c>, <c>Idempotency-Key</c>, …).
/// </summary>
public sealed class HandoffProblemException : HandoffException
{
    /// <summary>Creates the exception from the parts of a problem document.</summary>
    public HandoffProblemException(
        HttpStatusCode status, string? title, string? detail, string? type = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? errors = null,
        IReadOnlyDictionary<string, JsonElement>? extensions = null)
        : base(Describe(status, title, detail, errors))
    {
        Status = status;
        Title = title;
        Detail = detail;
        Type = type;
        Errors = errors ?? new Dictionary<string, IReadOnlyList<string>>();
        Extensions = extensions ?? new Dictionary<string, JsonElement>();
    }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The problem's title (<c>Not Found</c>, <c>One or more validation errors occurred.</c>, …).</summary>
    public string? Title { get; }

    /// <summary>What went wrong and what to do, when the server says.</summary>
    public string? Detail { get; }

    /// <summary>The problem's type URI.</summary>
    public string? Type { get; }

    /// <summary>The bad fields, by JSON path, each with its messages; empty when the problem names none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; }

    /// <summary>Every other member of the problem document, such as <c>caseStatus</c> or <c>assignedTo</c> of a 409.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; }

    private static string Describe(
        HttpStatusCode status, string? title, string? detail, IReadOnlyDictionary<string, IReadOnlyList<string>>? errors)
    {
        var text = $"Handoff answered {(int)status} {title ?? status.ToString()}";
        if (!string.IsNullOrEmpty(detail))
        {
            text += ": " + detail;
        }

        if (errors is { Count: > 0 })
        {
            text += " (" + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")) + ")";
        }

        return text;
    }
}
