using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Handoff.Server.Tests.Api.Contract;

/// <summary>
/// The server's OpenAPI document, used as a checker: it finds the operation a request went to, and tells whether the
/// answer is one the document allows (its status listed, its media type listed, its body valid against the schema).
/// Object schemas are checked strictly here (no property the schema does not name), so a field the server writes and
/// the contract does not declare is caught too.
/// </summary>
internal sealed class OpenApiContract
{
    private readonly JsonObject _paths;
    private readonly JsonObject _definitions;
    private readonly List<(string Template, Regex Pattern, int Parameters)> _templates;
    private readonly Dictionary<string, JsonSchema> _schemas = [];
    private readonly Lock _lock = new();

    private OpenApiContract(JsonObject document)
    {
        _paths = document["paths"]!.AsObject();
        _definitions = JsonNode.Parse(Rebase(document["components"]!["schemas"]!.ToJsonString()))!.AsObject();
        foreach (var definition in _definitions)
        {
            Strict(definition.Value!);
        }

        _templates = [.. _paths.Select(p => (p.Key,
            new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^/]+?}", "[^/]+") + "$"),
            p.Key.Count(c => c == '{')))];
    }

    /// <summary>operationId of every operation the document lists.</summary>
    public IReadOnlySet<string> OperationIds => _paths.SelectMany(p => p.Value!.AsObject()).Select(o => (string)o.Value!["operationId"]!).ToHashSet();

    /// <summary>Operations some checked answer came from.</summary>
    public HashSet<string> Called { get; } = [];

    /// <summary>What did not match, one line each.</summary>
    public List<string> Failures { get; } = [];

    public static OpenApiContract Parse(string json) => new(JsonNode.Parse(json)!.AsObject());

    /// <summary>Checks one answer (its body already read, <paramref name="body"/>; null for an event stream).</summary>
    public void Check(HttpRequestMessage request, HttpResponseMessage response, string? body)
    {
        var method = request.Method.Method.ToLowerInvariant();
        var path = request.RequestUri!.AbsolutePath;
        var what = $"{request.Method} {request.RequestUri.PathAndQuery} → {(int)response.StatusCode}";
        var template = _templates.Where(t => t.Pattern.IsMatch(path) && _paths[t.Template]![method] is not null)
            .OrderBy(t => t.Parameters).Select(t => t.Template).FirstOrDefault();
        if (template is null)
        {
            Fail($"{what}: no operation in the contract");
            return;
        }

        var operation = _paths[template]![method]!;
        lock (_lock)
        {
            Called.Add((string)operation["operationId"]!);
        }

        var documented = operation["responses"]![((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (documented is null)
        {
            Fail($"{what}: status not in the contract of {operation["operationId"]}");
            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var content = documented["content"]?.AsObject();
        if (string.IsNullOrEmpty(body) && mediaType is null)
        {
            if (content is not null && response.StatusCode != System.Net.HttpStatusCode.NoContent)
            {
                Fail($"{what}: empty, but the contract gives it a body");
            }

            return;
        }

        if (mediaType is null || content?[mediaType] is not { } media)
        {
            Fail($"{what}: media type {mediaType ?? "(none)"} not in the contract ({string.Join(", ", content?.Select(c => c.Key) ?? [])})");
            return;
        }

        if (body is null || !mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            return;
        }

        var schema = SchemaFor(media["schema"]!);
        var result = schema.Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}").Take(5);
            Fail($"{what}: body does not match the contract: {string.Join(" | ", errors)} — {Shorten(body)}");
        }
    }

    private void Fail(string failure)
    {
        lock (_lock)
        {
            Failures.Add(failure);
        }
    }

    private JsonSchema SchemaFor(JsonNode schema)
    {
        var text = Rebase(schema.ToJsonString());
        lock (_lock)
        {
            if (!_schemas.TryGetValue(text, out var built))
            {
                var root = Strict(JsonNode.Parse(text)!).AsObject();
                root["$defs"] = _definitions.DeepClone();
                built = JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
                _schemas[text] = built;
            }

            return built;
        }
    }

    private static string Rebase(string json) => json.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);

    /// <summary>Every object schema that names its properties allows no others (unless it says what others may be).</summary>
    private static JsonNode Strict(JsonNode node)
    {
        if (node is not JsonObject schema)
        {
            return node;
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var property in properties)
            {
                Strict(property.Value!);
            }

            schema.TryAdd("additionalProperties", false);
        }

        foreach (var key in new[] { "items", "additionalProperties" })
        {
            if (schema[key] is JsonObject child)
            {
                Strict(child);
            }
        }

        foreach (var key in new[] { "oneOf", "anyOf", "allOf" })
        {
            foreach (var child in schema[key]?.AsArray() ?? [])
            {
                Strict(child!);
            }
        }

        return schema;
    }

    private static string Shorten(string body) => body.Length <= 400 ? body : body[..400] + "…";
}

/// <summary>Checks every answer that passes through it against the contract (event streams: status and media type only).</summary>
internal sealed class ContractCheckingHandler(OpenApiContract contract) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            contract.Check(request, response, body: null);
            return response;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        contract.Check(request, response, body);
        var copy = new StringContent(body);
        copy.Headers.ContentType = response.Content.Headers.ContentType is { } type ? MediaTypeHeaderValue.Parse(type.ToString()) : null;
        response.Content = copy;
        return response;
    }
}
