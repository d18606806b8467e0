using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Handoff.Server.Mcp;

/// <summary>
/// Answers an <c>initialize</c> whose <c>params</c> are not what the method takes (<c>{}</c>, <c>-1</c>, <c>[]</c>,
/// a string) with the JSON-RPC invalid-params error. The SDK (2.3.1) reads those params in its stateless transport
/// outside its error handling, so without this check such a request answers 500.
/// </summary>
internal static class InitializeParamsCheck
{
    public const string Message =
        "Invalid params for initialize: send an object with protocolVersion (a string), capabilities (an object) and clientInfo ({name, version}).";

    /// <summary>Runs the check in front of <paramref name="next"/>, the SDK's own handler.</summary>
    public static RequestDelegate Before(RequestDelegate next) => async context =>
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // The body is read twice, here and by the SDK: MCP messages are small and calls few next to the API's.
        context.Request.EnableBuffering();
        var message = await ReadAsync(context).ConfigureAwait(false);
        context.Request.Body.Position = 0;
        if (message is JsonRpcRequest { Method: RequestMethods.Initialize } request && !Readable(request.Params))
        {
            var error = new JsonRpcError { Id = request.Id, Error = new JsonRpcErrorDetail { Code = (int)McpErrorCode.InvalidParams, Message = Message } };
            // 200 with the error as the answer, as the SDK answers any other failed request: clients read it as the
            // request's error rather than as a broken transport.
            await TypedResults.Json<JsonRpcMessage>(error, McpJsonUtilities.DefaultOptions).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    };

    private static async Task<JsonRpcMessage?> ReadAsync(HttpContext context)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<JsonRpcMessage>(context.Request.Body, McpJsonUtilities.DefaultOptions, context.RequestAborted)
                .ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // Not a JSON-RPC message at all: the SDK's own answer to that is right.
            return null;
        }
    }

    private static bool Readable(System.Text.Json.Nodes.JsonNode? parameters)
    {
        try
        {
            return parameters.Deserialize<InitializeRequestParams>(McpJsonUtilities.DefaultOptions) is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
