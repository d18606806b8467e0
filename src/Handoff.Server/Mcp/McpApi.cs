using Handoff.Server.Auth;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Handoff.Server.Mcp;

/// <summary>
/// The MCP endpoint: <c>request_approval</c>, <c>ask_human</c> and <c>check_case</c> over Streamable HTTP at
/// <c>/mcp</c>, for agent keys only. Every tool goes through the same <c>CaseService</c>, validation and wake-ups
/// as the HTTP API.
/// </summary>
public static class McpApi
{
    public const string Path = "/mcp";

    // What an MCP client hands its model about this server, before any tool is called.
    private const string Instructions =
        "Handoff asks a person before you do something sensitive, costly or uncertain. Call request_approval with the " +
        "action you want to take and its arguments, or ask_human with a question. A person may take minutes: when the " +
        "answer says status 'pending', do not go ahead; call check_case with its caseId later to get the decision. " +
        "When the status is 'takenOver', a person is talking with the customer: pass the customer's messages on with " +
        "relay_message and send back the person's replies, never your own, until they hand the conversation back. " +
        "find_precedents shows how people decided similar cases: look before you propose.";

    public static IServiceCollection AddHandoffMcp(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Three lines per tool call is noise at this volume, as the framework's one per request is (HandoffServer.Build);
        // the SDK speaks up when something is wrong.
        services.AddLogging(logging => logging.AddFilter("ModelContextProtocol", LogLevel.Warning));
        services.AddSingleton<ToolWaiter>();
        services.AddSingleton<CaseSubmitter>();
        // The SDK picks up every McpServerTool registered in the container.
        services.AddSingleton<McpServerTool, RequestApprovalTool>();
        services.AddSingleton<McpServerTool, AskHumanTool>();
        services.AddSingleton<McpServerTool, CheckCaseTool>();
        services.AddSingleton<McpServerTool, RelayMessageTool>();
        services.AddSingleton<McpServerTool, FindPrecedentsTool>();
        services.AddSingleton<McpServerTool, ReportExecutionTool>();
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "handoff", Title = "Handoff", Version = Version };
                options.ServerInstructions = Instructions;
            })
            // Stateless: no session lives on one node, so any node behind a load balancer can answer any call, as with
            // the rest of the API (docs/operations.md). Nothing here needs a session: the case in the store is the state.
            .WithHttpTransport(transport => transport.Stateless = true);
        return services;
    }

    public static IEndpointRouteBuilder MapMcpApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // JSON-RPC over one path is nothing OpenAPI can describe; docs/api.md does.
        app.MapMcp(Path).RequireAuthorization(Roles.Agent).ExcludeFromDescription()
            .Add(endpoint => endpoint.RequestDelegate = InitializeParamsCheck.Before(endpoint.RequestDelegate!));
        // Stateless, there is no stream to open with GET and no session to end with DELETE. The specification's answer
        // to both is 405; without this route a GET would reach the dashboard's fallback page and answer 404.
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Delete], (HttpContext context) =>
        {
            context.Response.Headers.Allow = HttpMethods.Post;
            return TypedResults.Problem(
                detail: "This MCP endpoint is stateless: send every JSON-RPC message with POST.",
                statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method Not Allowed");
        }).ExcludeFromDescription();
        return app;
    }

    private static string Version => typeof(McpApi).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
}
