using System.Security.Claims;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Handoff.Server.Mcp;

/// <summary>
/// Who called a tool and how to reach them while it runs: the key's principal, and the server and progress token
/// (null when the client sent none) through which a wait reports that it is still going.
/// </summary>
internal sealed record ToolCall(ClaimsPrincipal Caller, McpServer Server, ProgressToken? ProgressToken);
