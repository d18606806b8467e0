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
        // The web defaults read "0.9" as a number and let a repeated key overwrite the first: both hide mistakes.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
    };

    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentLength == 0)
        {
            return (null, Field("body", "A JSON body is required."));
        }

        if (request.HasJsonContentType() is false && request.ContentType is not null)
        {
            return (null, TypedResults.Problem(
                detail: $"Content-Type '{request.ContentType}' is not supported; send application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        }

        return await ReadAsync<T>(request.Body, request.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads JSON that did not come as a request (the dashboard's sample case) by exactly the same rules, with the
    /// same problems.
    /// </summary>
    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(Stream json, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            // Buffered (bodies are small and capped): the text is looked at once for what no field may hold, then read.
            using var buffer = new MemoryStream();
            await json.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            var bytes = new ReadOnlySpan<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
            if (FieldWithNul(bytes) is { } field)
            {
                return (null, Field(field, NulMessage));
            }

            var body = JsonSerializer.Deserialize<T>(bytes, Strict);
            return body is null ? (null, Field("body", "A JSON object is required.")) : (body, null);
        }
        catch (JsonException e) when (e.InnerException is null or InvalidOperationException or FormatException)
        {
            // The JSON itself was fine; one field was not. Without an inner exception the serializer does not say
            // which of these it was, so the message names all three.
            var problem = e.InnerException is null ? "Unknown field, repeated field, or a value of the wrong shape" : "The value has the wrong type";
            return (null, Field(FieldOf(e), $"{problem}{Where(e)}."));
        }
        catch (JsonException e) when (TooDeep(e) is { } field)
        {
            // Valid JSON nested past what is read: named by the field it is under, since "not valid" would be untrue.
            return (null, Field(field, $"Nested more than {MaxDepth} levels deep{Where(e)}; flatten the value."));
        }
        catch (JsonException e)
        {
            // Broken JSON (the reader's own error) is a problem of the whole body.
            return (null, Field("body", $"Not valid JSON{Where(e)}; a JSON object is required."));
        }
        catch (BadHttpRequestException e)
        {
            var title = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request body";
            return (null, TypedResults.Problem(detail: e.Message, statusCode: e.StatusCode, title: title));
        }
    }

    // The same document as a ValidationProblem, typed as a ProblemHttpResult so every failure of a body has one type.
    private static ProblemHttpResult Field(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
        });

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>What a problem says of text holding U+0000, which no field may: PostgreSQL cannot store it.</summary>
    public const string NulMessage = "Text may not contain the NUL character (\\u0000).";

    /// <summary>
    /// The dotted path of the property whose string (or name) holds U+0000 ("facts.note"), "body" when it is outside
    /// any property, or null when none does. JSON can only carry it escaped, so only escaped strings are decoded.
    /// JSON that breaks other rules answers null here and is reported by the deserializer.
    /// </summary>
    private static string? FieldWithNul(ReadOnlySpan<byte> json)
    {
        // Nearly every body has no such escape at all: one scan for it spares them a second full parse.
        if (json.IndexOf("\\u0000"u8) < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(json);
        var path = new List<string?>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        path.Add(property);
                        property = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        property = null;
                        break;
                    case JsonTokenType.PropertyName or JsonTokenType.String:
                        var isName = reader.TokenType == JsonTokenType.PropertyName;
                        if (reader.ValueIsEscaped && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
                        {
                            var names = path.Append(isName ? null : property).OfType<string>().ToList();
                            return names.Count == 0 ? "body" : string.Join('.', names);
                        }

                        property = isName ? reader.GetString() : null;
                        break;
                    default:
                        property = null;
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Broken JSON, or a string that is no text (a lone surrogate): the deserializer names the field.
            return null;
        }

        return null;
    }

    // How deep a body may nest (System.Text.Json's default, which Strict keeps).
    private const int MaxDepth = 64;

    // The top-level field ("facts") under which the reader gave up because the JSON nests too deep, or null when
    // it stopped for another reason. The reader says which only in its message, so that is what is looked at.
    private static string? TooDeep(JsonException e)
    {
        if (!e.Message.Contains($"maximum configured depth of {MaxDepth}", StringComparison.Ordinal))
        {
            return null;
        }

        var field = FieldOf(e);
        var end = field.IndexOfAny(['.', '[']);
        return end > 0 ? field[..end] : field;
    }

    // "$.proposal.confidence" → "proposal.confidence"; "$" → "body".
    private static string FieldOf(JsonException e)
    {
        var path = e.Path ?? "$";
        return path is "$" or "" ? "body" : path.TrimStart('$').TrimStart('.');
    }

    private static string Where(JsonException e) =>
        e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
}
