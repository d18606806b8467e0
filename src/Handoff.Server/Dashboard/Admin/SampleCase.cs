using System.Text;
using Handoff.Core.Cases;
using Handoff.Server.Api;
using Handoff.Server.Api.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace Handoff.Server.Dashboard.Admin;

/// <summary>
/// The policy page's sample case: JSON as an agent would POST it to <c>/v1/cases</c>, read by the very code that
/// endpoint uses (<see cref="JsonBody"/>, then <see cref="SubmitCaseValidator"/>), so a sample the page accepts is one
/// the API accepts and its problems read the same.
/// </summary>
internal static class SampleCase
{
    public const string Example = """
        {
          "kind": "reply",
          "summary": "Refund request for a damaged order",
          "channel": "email",
          "subject": { "id": "cus_1042", "name": "Dana Whitfield", "returning": true },
          "facts": { "topic": "refund", "amount": 1250, "orderId": "ord_88231" },
          "conversation": [
            { "role": "customer", "text": "My order arrived broken. I want my money back." }
          ],
          "proposal": {
            "text": "I'm sorry it arrived damaged. I've issued a full refund of 1,250 to your card.",
            "confidence": 0.82
          }
        }
        """;

    /// <summary>The sample's case content, or its problems as "field: message" lines.</summary>
    public static async Task<(CaseContent? Content, IReadOnlyList<string> Problems)> ParseAsync(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var (body, problem) = await JsonBody.ReadAsync<SubmitCaseRequest>(stream, CancellationToken.None).ConfigureAwait(false);
        if (problem is not null)
        {
            return (null, Lines(problem.ProblemDetails));
        }

        var errors = new ValidationErrors();
        var submitted = SubmitCaseValidator.Validate(body!, errors);
        return submitted is null ? (null, Lines(errors.ToDictionary())) : (submitted.Content, []);
    }

    private static List<string> Lines(ProblemDetails problem) =>
        problem is HttpValidationProblemDetails validation ? Lines(validation.Errors) : [problem.Detail ?? problem.Title ?? "The sample is not a valid case."];

    private static List<string> Lines(IDictionary<string, string[]> errors) =>
        [.. errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}"))];
}
