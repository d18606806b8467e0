using System.Text.Json;
using Handoff.Core;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Handoff.Server.Api;

/// <summary>
/// Reads a JSON request body ourselves rather than through parameter binding, so that every way a body can be
/// wrong (not JSON, wrong type, unknown field, too large) becomes a problem that names the field.
/// </summary>
internal static class JsonBody
{
    private static readonly JsonSerializerOptions Strict = new(HandoffJson.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentLength == 0)
        {
            return (null, Invalid("body", "A JSON body is required."));
        }

        if (request.HasJsonContentType() is false && request.ContentType is not null)
        {
            return (null, TypedResults.Problem(
                detail: $"Content-Type '{request.ContentType}' is not supported; send application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, Strict, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return body is null ? (null, Invalid("body", "A JSON object is required.")) : (body, null);
        }
        catch (JsonException e)
        {
            if (e.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
            {
                return (null, Invalid("body", "A JSON body is required."));
            }

            // Broken JSON is a problem of the whole body; a wrong value or unknown field is the field's.
            var aboutField = e.Message.Contains("could not be converted", StringComparison.Ordinal)
                || e.Message.Contains("could not be mapped", StringComparison.Ordinal);
            return (null, Invalid(aboutField ? FieldOf(e) : "body", Describe(e)));
        }
        catch (BadHttpRequestException e)
        {
            return (null, TypedResults.Problem(detail: e.Message, statusCode: e.StatusCode, title: "Bad request body"));
        }
    }

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    // "$.proposal.confidence" → "proposal.confidence"; "$" → "body".
    private static string FieldOf(JsonException e)
    {
        var path = e.Path ?? "$";
        return path is "$" or "" ? "body" : path.TrimStart('$').TrimStart('.');
    }

    private static string Describe(JsonException e)
    {
        var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = e.Message.IndexOf('\'', StringComparison.Ordinal);
            var end = start < 0 ? -1 : e.Message.IndexOf('\'', start + 1);
            var name = end > start ? e.Message[(start + 1)..end] : "?";
            return $"Unknown field '{name}'{where}.";
        }

        return e.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? $"The value has the wrong type{where}."
            : $"Not valid JSON{where}.";
    }
}
