using System.Text.Json;
using System.Text.RegularExpressions;
using Handoff.Server.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Mcp;

/// <summary>
/// Reads a tool call's arguments by the rules the API reads a body by (<see cref="JsonBody"/>): no unknown or
/// repeated fields, no numbers as strings, no NUL in text; every problem names the argument. The SDK's own binding
/// would answer a wrongly typed argument with a bare "An error occurred invoking …", naming nothing.
/// </summary>
internal static partial class ToolArguments
{
    /// <summary>
    /// The longest wait a call may ask for: under the TypeScript SDK's default request timeout of 60 s, which progress
    /// does not reset unless the client opts in (docs/agents.md).
    /// </summary>
    public const int MaxWaitSeconds = 50;

    /// <summary>The wait of <c>request_approval</c> and <c>ask_human</c> when the call names none: half of a 60 s client timeout, with room to spare.</summary>
    public const int DefaultWaitSeconds = 25;

    public static async Task<(T? Arguments, IReadOnlyDictionary<string, string[]>? Errors)> ReadAsync<T>(
        IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
        where T : class
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
            {
                try
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException)
                {
                    // Text that is no valid Unicode (a lone surrogate escape) cannot be written out again.
                    return (null, new Dictionary<string, string[]> { [name] = ["A text value is not valid Unicode."] });
                }
            }

            writer.WriteEndObject();
        }

        json.Position = 0;
        var (body, problem) = await JsonBody.ReadAsync<T>(json, cancellationToken).ConfigureAwait(false);
        return problem is null ? (body, null) : (null, Errors(problem));
    }

    /// <summary>The wait a tool call asked for: 0 to <see cref="MaxWaitSeconds"/> whole seconds, or <paramref name="fallback"/>.</summary>
    public static TimeSpan Wait(int? seconds, int fallback, ToolErrors errors)
    {
        if (seconds is < 0 or > MaxWaitSeconds)
        {
            errors.Add("waitSeconds", $"Must be a whole number of seconds from 0 to {MaxWaitSeconds}.");
        }

        return TimeSpan.FromSeconds(Math.Clamp(seconds ?? fallback, 0, MaxWaitSeconds));
    }

    private static Dictionary<string, string[]> Errors(ProblemHttpResult problem)
    {
        // The line and position point into the arguments as re-written here, not into what the client sent.
        var errors = problem.ProblemDetails is HttpValidationProblemDetails validation
            ? validation.Errors
            : new Dictionary<string, string[]> { ["arguments"] = [problem.ProblemDetails.Detail ?? "The arguments could not be read."] };
        return errors.ToDictionary(e => e.Key, e => e.Value.Select(m => Position().Replace(m, "")).ToArray(), StringComparer.Ordinal);
    }

    [GeneratedRegex(@" \(line \d+, position \d+\)")]
    private static partial Regex Position();
}
