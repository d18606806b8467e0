using System.Text.Json.Nodes;
using Handoff.Core.Cases;
using Handoff.Storage.Outbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Handoff.Server.Api.OpenApi;

/// <summary>
/// Each operation's part of the contract that the endpoint's C# signature cannot say: every error it can answer with
/// (as a <see cref="ContractDocumentTransformer.ProblemSchema"/>, with the headers that come with it), the headers of its
/// answers, what its query parameters really accept (the handlers read them as text to name a bad one in a 400), and
/// the server-sent-event and YAML bodies.
/// </summary>
internal sealed class ContractOperationTransformer : IOpenApiOperationTransformer
{
    private static readonly Dictionary<int, string> ErrorTexts = new()
    {
        [400] = "A field, parameter or header is wrong; `errors` names it.",
        [401] = "No API key, or one that is unknown or revoked.",
        [403] = "The key's role may not do this, or the case is not the caller's.",
        [404] = "Nothing with that id in the key's workspace.",
        [409] = "The thing is not in a state that allows this (decided, held by someone else, already reported…); the problem says where it stands.",
        [413] = "The body is larger than the server accepts.",
        [415] = "The body is not of a media type this endpoint reads.",
        [422] = "Well-formed but not acceptable: see `detail` and `errors` (and `problems` for a policy).",
        [429] = "Too many unknown API keys from this address; wait for `Retry-After` seconds.",
        [503] = "The database is out of reach for a moment; retry (a submission with an Idempotency-Key is never created twice).",
    };

    // What the handlers accept of each query parameter (they validate it themselves, and answer 400 naming it).
    private static readonly Dictionary<string, Func<OpenApiSchema>> QuerySchemas = new(StringComparer.Ordinal)
    {
        ["limit"] = () => Integer(1, null, "How many to return at most."),
        ["listCases.limit"] = () => Integer(1, 200, "How many cases to return at most (50 by default)."),
        ["listCases.status"] = () => OneOf(typeof(CaseStatus), "Only cases with this status."),
        ["listCases.receipt"] = () => OneOf(["missing"], "missing: approved cases whose agent has not reported carrying them out yet."),
        ["listCases.cursor"] = () => Text("The `next` cursor of the previous page."),
        ["listDeliveries.limit"] = () => Integer(1, 500, "How many deliveries to return at most."),
        ["listDeliveries.channel"] = () => OneOf(["webhook", "callback", "slack", "teams", "email"], "Only deliveries of this channel."),
        ["listDeliveries.status"] = () => OneOf(typeof(DeliveryStatus), "Only deliveries with this status."),
        ["listDeliveries.before"] = () => Text("The `next` cursor of the previous page: deliveries older than this id."),
        ["listQaQueue.limit"] = () => Integer(1, 500, "How many cases to return at most."),
        ["listMessages.after"] = () => Integer(0, null, "The number of the last message you have; 0 for all."),
        ["getPrecedents.count"] = () => Integer(1, 20, "How many precedents (5 by default)."),
        ["getAgreement.by"] = () => OneOf(["rule", "intent", "action", "confidence"], "How to group the decisions."),
        ["since"] = () => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Pattern = "^[0-9]+[dh]$",
            Description = "How far back: a number of days or hours (30d, 12h), at most 3650d.",
        },
        ["getPolicy.version"] = () => Integer(1, null, "A published version; the current one when absent."),
        ["streamEvents.after"] = () => Text("Start after this event id (as Last-Event-ID does); from now when absent."),
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var id = operation.OperationId ?? context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        operation.OperationId = id;
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorized = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();

        if (id == "streamEvents")
        {
            AddParameter(operation, new OpenApiParameter { Name = "after", In = ParameterLocation.Query });   // read by hand
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.In == ParameterLocation.Query && parameter.Name == "wait")
            {
                // The longest wait is the server's setting (Handoff:MaxWaitSeconds), 300 s unless configured.
                var longest = context.ApplicationServices.GetRequiredService<IOptions<HandoffServerOptions>>().Value.MaxWaitSeconds;
                parameter.Schema = Integer(0, longest, $"Seconds to wait for an answer, 0 to not wait; at most {longest}.");
                parameter.Description ??= parameter.Schema.Description;
            }
            else if (parameter.In == ParameterLocation.Query
                && (QuerySchemas.GetValueOrDefault($"{id}.{parameter.Name}") ?? QuerySchemas.GetValueOrDefault(parameter.Name!)) is { } schema)
            {
                var made = schema();
                parameter.Schema = made;
                parameter.Description ??= made.Description;
            }
        }

        operation.Responses ??= new OpenApiResponses();
        var responses = operation.Responses;
        var codes = new SortedSet<int>(responses.Keys.Select(int.Parse).Where(c => c >= 400)) { 503 };
        if (operation.RequestBody is not null || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true)
        {
            codes.Add(400);
        }

        if (operation.RequestBody is { } body)
        {
            codes.Add(413);
            if (body.Content?.ContainsKey("application/json") == true)
            {
                codes.Add(415);
            }
        }

        if (authorized)
        {
            codes.UnionWith([401, 403, 429]);
        }

        if (context.Description.RelativePath?.Contains('{', StringComparison.Ordinal) == true)
        {
            codes.Add(404);
        }

        foreach (var code in codes)
        {
            responses[code.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Problem(code, context.Document!);
        }

        Shape(id, operation, context.Document!);
        return Task.CompletedTask;
    }

    private static OpenApiResponse Problem(int code, OpenApiDocument document)
    {
        var response = new OpenApiResponse
        {
            Description = ErrorTexts.GetValueOrDefault(code, "An error; see `detail`."),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ContractDocumentTransformer.ProblemSchema, document) },
            },
        };
        if (code == 401)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["WWW-Authenticate"] = Header("`Bearer`: send an API key as `Authorization: Bearer hk_…`."),
            };
        }
        else if (code == 429)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before trying again.", Schema = Integer(1, null, null) },
            };
        }

        return response;
    }

    /// <summary>What only some operations have: headers, event streams, YAML and form bodies.</summary>
    private static void Shape(string? id, OpenApiOperation operation, OpenApiDocument document)
    {
        var responses = operation.Responses!;
        switch (id)
        {
            case "submitCase":
                AddParameter(operation, new OpenApiParameter
                {
                    Name = "Idempotency-Key",
                    In = ParameterLocation.Header,
                    Description = "Makes a retry safe: the same key with the same body answers 200 with the case it made; with another body, 422. At most 200 characters.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
                });
                SetHeader(responses, "201", "Location", "The new case: /v1/cases/{id}.");
                SetHeader(responses, "200", "Idempotent-Replayed", "`true`: the case was made by an earlier request with this Idempotency-Key.");
                responses["200"].Description = "The case an earlier request with the same Idempotency-Key made (a replay).";
                responses["201"].Description = "The case, with the policy's outcome.";
                break;
            case "addTeam" or "addWebhook" or "postMessage":
                SetHeader(responses, "201", "Location", "Where the new item can be read.");
                break;
            case "getDecision":
                responses["200"].Description = "The case is decided (or closed): the decision.";
                responses["202"].Description = "Not decided within the wait: where the case stands; ask again.";
                break;
            case "streamCaseEvents" or "streamEvents":
                EventStream(id, operation, responses);
                break;
            case "publishPolicy":
                operation.RequestBody = Yaml("The policy as YAML (docs/policy.md), at most 512 KiB.");
                break;
            case "simulatePolicy":
                operation.RequestBody = Yaml("The candidate policy as YAML (docs/policy.md), at most 512 KiB.");
                break;
            case "slackInteraction":
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "What Slack posts: a form whose `payload` is the interaction as JSON, signed with the app's signing secret.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/x-www-form-urlencoded"] = new()
                        {
                            Schema = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Required = new HashSet<string>(["payload"], StringComparer.Ordinal),
                                Properties = new Dictionary<string, IOpenApiSchema> { ["payload"] = Text("The interaction, JSON.") },
                            },
                        },
                    },
                };
                AddParameter(operation, new OpenApiParameter { Name = "X-Slack-Signature", In = ParameterLocation.Header, Required = true, Schema = Text(null) });
                AddParameter(operation, new OpenApiParameter { Name = "X-Slack-Request-Timestamp", In = ParameterLocation.Header, Required = true, Schema = Text(null) });
                responses.Remove("415");
                var unsigned = Problem(401, document);
                unsigned.Description = "The request is not signed by the workspace's Slack app, or is too old.";
                unsigned.Headers = null;
                responses["401"] = unsigned;
                break;
        }
    }

    private static void EventStream(string id, OpenApiOperation operation, OpenApiResponses responses)
    {
        AddParameter(operation, new OpenApiParameter
        {
            Name = "Last-Event-ID",
            In = ParameterLocation.Header,
            Description = "Resume after this event (the `id:` of the last one received); what an EventSource sends on reconnecting.",
            Schema = Text(null),
        });
        var ofCase = id == "streamCaseEvents";

        responses["200"] = new OpenApiResponse
        {
            Description = ofCase
                ? "The case's events as server-sent events (docs/api.md): its history, then each change; after the last one, an `end` event and the stream closes."
                : "The caller's cases' events as server-sent events (docs/api.md), each with its `caseId`; keep-alive comments carry the position (`id:`).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/event-stream"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "`event:` the event type (case.submitted, case.decided, …), `id:` its sequence number, `data:` the event as JSON.",
                    },
                },
            },
        };
        if (ofCase)
        {
            responses["204"] = new OpenApiResponse { Description = "A reconnect after the end of a closed case: nothing more will come, stop." };
        }
    }

    private static OpenApiRequestBody Yaml(string description)
    {
        var text = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        return new OpenApiRequestBody
        {
            Required = true,
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/yaml"] = text, ["text/yaml"] = text, ["text/plain"] = text },
        };
    }

    private static void AddParameter(OpenApiOperation operation, OpenApiParameter parameter)
    {
        operation.Parameters ??= [];
        if (!operation.Parameters.Any(p => p.Name == parameter.Name && p.In == parameter.In))
        {
            operation.Parameters.Add(parameter);
        }
    }

    private static void SetHeader(OpenApiResponses responses, string code, string name, string description)
    {
        if (responses.TryGetValue(code, out var response) && response is OpenApiResponse concrete)
        {
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[name] = Header(description);
        }
    }

    private static OpenApiHeader Header(string description) => new() { Description = description, Schema = Text(null) };

    private static OpenApiSchema Text(string? description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Integer(int? minimum, int? maximum, string? description) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int32",
        Minimum = minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Maximum = maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Description = description,
    };

    private static OpenApiSchema OneOf(Type enumType, string description) => OneOf(OneOfAttribute.NamesOf(enumType), description);

    private static OpenApiSchema OneOf(string[] values, string description) => new()
    {
        Type = JsonSchemaType.String,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
        Description = description,
    };
}
