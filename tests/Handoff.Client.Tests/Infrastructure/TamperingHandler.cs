using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Handoff.Client.Tests.Infrastructure;

/// <summary>Stands between client and server and changes the decision in every 200 to a long-poll: a server or proxy that lies.</summary>
internal sealed class TamperingHandler(Action<JsonObject> tamper) : RecordingHandler
{
    protected override async Task<HttpResponseMessage> RewriteAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.OK || response.RequestMessage?.RequestUri?.AbsolutePath.EndsWith("/decision", StringComparison.Ordinal) != true)
        {
            return response;
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
        tamper(body["decision"]!.AsObject());
        response.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return response;
    }
}
