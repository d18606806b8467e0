using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Handoff.Server.Api.OpenApi;

/// <summary>
/// The document's own parts of the contract: what the API is, its tags, the one problem shape every error has, and
/// a last pass over the schemas (nulls out, since the server leaves nulls out; doc-comment references in words).
/// </summary>
internal sealed partial class ContractDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ProblemSchema = "Problem";

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Cases", "Submit cases, wait for decisions (long-poll or server-sent events), decide, claim, transfer, take over, report execution."),
        ("Policy", "The rules that decide which cases a person sees, the stop switch, and replaying a candidate policy."),
        ("Learning", "Agreement statistics, recommendations, the learned gate and its QA queue."),
        ("Teams", "Teams, their working hours and modes, and the routing settings."),
        ("People", "People's skills, languages, capacity, teams and presence."),
        ("Webhooks", "Signed webhooks and callbacks, their secrets, and the delivery log."),
        ("Notifications", "Who is told about what (rules), and each person's preferences."),
        ("Integrations", "Slack and Microsoft Teams."),
    ];

    // The JSON members a C# type cannot describe (JsonElement), by their name, which means the same everywhere.
    private static readonly Dictionary<string, (JsonSchemaType Type, string Description)> FreeForm = new(StringComparer.Ordinal)
    {
        ["subject"] = (JsonSchemaType.Object, "Who the case is for: any JSON object (customer id, tier, language…)."),
        ["facts"] = (JsonSchemaType.Object, "What the policy's rules read: any JSON object."),
        ["arguments"] = (JsonSchemaType.Object, "The tool's arguments: a JSON object."),
        ["expiresIn"] = (JsonSchemaType.Number | JsonSchemaType.String, "Seconds, or a duration such as \"90s\", \"15m\", \"2h\", \"1d\"."),
        ["acceptTimeout"] = (JsonSchemaType.Number | JsonSchemaType.String, "Seconds, or a duration such as \"45s\"."),
        ["idleClaimTimeout"] = (JsonSchemaType.Number | JsonSchemaType.String, "Seconds, or a duration such as \"10m\"."),
        ["awayAfter"] = (JsonSchemaType.Number | JsonSchemaType.String, "Seconds, or a duration such as \"2m\"."),
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Handoff API",
            Version = "1",
            Description = "Human-in-the-loop for AI agents: an agent submits a case, the policy decides whether a person must look, "
                + "a person decides, the agent acts on the decision and reports what it did. Errors are application/problem+json "
                + "(RFC 9457) naming the field at fault. Guide: docs/api.md.",
        };

        // The document is served at /openapi/v1.json of the server it describes: relative to it, no trailing slash.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The server that serves this document." }];
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));

        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem(document);
        document.Components.Schemas.Remove("HttpValidationProblemDetails");   // the framework's, replaced by Problem
        document.Components.Schemas.Remove("ProblemDetails");
        var types = new HashSet<string>(document.Components.Schemas.Keys, StringComparer.Ordinal) { "TimeSpan", "JsonElement", "JsonNode", "DateTimeOffset" };
        foreach (var schema in document.Components.Schemas.Values.OfType<OpenApiSchema>())
        {
            Tidy(schema, types);
        }

        // Every free-form member is described where it is (FreeForm): the framework's JsonElement is left unused.
        if (!document.Components.Schemas.Values.OfType<OpenApiSchema>().Any(s => s.Properties?.Values.Any(IsJsonElement) == true))
        {
            document.Components.Schemas.Remove("JsonElement");
        }

        if (document.Components.Schemas.TryGetValue("JsonNode", out var any) && any is OpenApiSchema anyValue)
        {
            anyValue.Description = "Any JSON value.";
        }

        return Task.CompletedTask;
    }

    /// <summary>Every error's body: RFC 9457's members and the ones Handoff adds, each present only where it applies.</summary>
    private static OpenApiSchema Problem(OpenApiDocument document) => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An error (RFC 9457). `errors` names the fields at fault; a conflict (409) says where the case stands.",
        Required = new HashSet<string>(["title", "status"], StringComparer.Ordinal),
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = Text("A URI naming the kind of problem."),
            ["title"] = Text("A short, fixed summary of the kind of problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = Text("What went wrong here, and what to do about it."),
            ["instance"] = Text("The request it is about."),
            ["traceId"] = Text("The request's trace id, as the server's logs have it."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Field (JSON path, query parameter or header) → what is wrong with it.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["caseStatus"] = Text("409 on a case: the status it has now."),
            ["assignedTo"] = ActorReference("409 on a case: who holds it.", document),
            ["decidedBy"] = ActorReference("409 on a case: who decided it.", document),
            ["overflowFrom"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
                Description = "409 on removing a team: the teams that overflow to it.",
            },
            ["problems"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "422 on a policy: each problem with its place in the YAML.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string>(["line", "column", "message"], StringComparer.Ordinal),
                    Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                    {
                        ["line"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                        ["column"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
        },
    };

    private static OpenApiSchemaReference ActorReference(string description, OpenApiDocument document) =>
        new("Actor", document) { Description = description };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    /// <summary>Nulls out of the properties (the server leaves nulls out, and reads an absent field as null), and descriptions in words.</summary>
    private static void Tidy(OpenApiSchema schema, IReadOnlySet<string> types)
    {
        schema.Description = Words(schema.Description, types);
        if (schema.Properties is null)
        {
            return;
        }

        foreach (var (name, property) in schema.Properties.ToArray())
        {
            schema.Properties[name] = IsJsonElement(property) && FreeForm.TryGetValue(name, out var shape)
                ? new OpenApiSchema
                {
                    Type = shape.Type,
                    Description = shape.Description,
                    AdditionalProperties = shape.Type == JsonSchemaType.Object ? new OpenApiSchema() : null,   // any members
                }
                : WithoutNull(property, types);
        }
    }

    private static IOpenApiSchema WithoutNull(IOpenApiSchema property, IReadOnlySet<string> types)
    {
        if (property is not OpenApiSchema inline)
        {
            return property;
        }

        inline.Description = Words(inline.Description, types);
        if (inline.Type is { } type && type != JsonSchemaType.Null && type.HasFlag(JsonSchemaType.Null))
        {
            inline.Type = type & ~JsonSchemaType.Null;
        }

        if (inline.OneOf is { Count: 2 } oneOf && oneOf.FirstOrDefault(IsNull) is { } nullOption)
        {
            var other = oneOf.First(s => !ReferenceEquals(s, nullOption));
            inline.OneOf = null;
            if (other is OpenApiSchemaReference reference)
            {
                return new OpenApiSchemaReference(reference.Reference.Id!, reference.Reference.HostDocument)
                {
                    Description = Words(inline.Description ?? (other as OpenApiSchema)?.Description, types),
                };
            }

            return WithoutNull(other, types);
        }

        if (inline.Items is { } items)
        {
            inline.Items = WithoutNull(items, types);
        }

        return inline;
    }

    private static bool IsJsonElement(IOpenApiSchema schema) => schema is OpenApiSchemaReference { Reference.Id: "JsonElement" };

    private static bool IsNull(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };

    /// <summary>
    /// A doc comment's <c>&lt;see cref="Type.Member"/&gt;</c> arrives as "string? Type.Member": it becomes the member's
    /// JSON name in backticks (the type before it goes too when it is one: a schema's, or a C# one). Line breaks of the
    /// source go.
    /// </summary>
    internal static string? Words(string? description, IReadOnlySet<string> types)
    {
        if (description is null)
        {
            return null;
        }

        var text = description.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal);
        text = CrefReference().Replace(text, m =>
        {
            var member = "`" + System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(m.Groups["member"].Value) + "`";
            var type = m.Groups["type"];
            return !type.Success || IsType(type.Value, types) ? member : type.Value + member;
        });
        return LineBreak().Replace(text, " ");
    }

    private static bool IsType(string word, IReadOnlySet<string> types)
    {
        var name = word.TrimEnd().TrimEnd('?');
        return name.Contains('<', StringComparison.Ordinal) || name is "string" or "int" or "long" or "double" or "bool" || types.Contains(name);
    }

    [GeneratedRegex(@"(?<type>\b(?:[A-Z]\w*|string|int|long|double|bool)(?:<[^<>]*(?:<[^<>]*>)?[^<>]*>)?\??\s)?\b[A-Z]\w*\.(?<member>[A-Z]\w*)\b")]
    private static partial Regex CrefReference();

    [GeneratedRegex(@"\s*\r?\n\s*")]
    private static partial Regex LineBreak();
}
