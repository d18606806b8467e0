using System.Security.Claims;
using Handoff.Server.Auth;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Handoff.Server.Mcp;

/// <summary>
/// A Handoff tool: reads its arguments strictly into <typeparamref name="TArguments"/> (<see cref="ToolArguments"/>)
/// and runs for the caller's key, whose workspace scopes everything it reads or writes. The endpoint admits agent
/// and admin keys only, so every call has a workspace.
/// </summary>
internal abstract class HandoffTool<TArguments>(Tool tool) : McpServerTool
    where TArguments : class
{
    public override Tool ProtocolTool { get; } = tool;

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override async ValueTask<CallToolResult> InvokeAsync(
        RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = request.User;
        if (caller?.FindFirstValue(ApiKeyAuthenticationHandler.WorkspaceClaim) is null)
        {
            // Only reachable if the endpoint were mapped without its authorization.
            throw new InvalidOperationException("An MCP tool ran without an API key; map the endpoint with RequireAuthorization.");
        }

        var (arguments, problems) = await ToolArguments.ReadAsync<TArguments>(request.Params?.Arguments, cancellationToken).ConfigureAwait(false);
        if (problems is not null)
        {
            var errors = new ToolErrors();
            errors.AddAll(problems);
            return ToolResults.Invalid(errors);
        }

        var call = new ToolCall(caller, request.Server, request.Params?.ProgressToken);
        return await RunAsync(arguments!, call, cancellationToken).ConfigureAwait(false);
    }

    protected abstract Task<CallToolResult> RunAsync(TArguments arguments, ToolCall call, CancellationToken cancellationToken);
}
