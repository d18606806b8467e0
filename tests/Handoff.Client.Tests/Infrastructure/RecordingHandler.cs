using System.Collections.Concurrent;

namespace Handoff.Client.Tests.Infrastructure;

/// <summary>Sees every request the client sends and how it ended, and can rewrite answers on their way back.</summary>
internal class RecordingHandler : DelegatingHandler
{
    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<Exception> Failures { get; } = new();

    public int Count(string pathPart) => Requests.Count(r => r.Contains(pathPart, StringComparison.Ordinal));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue($"{request.Method} {request.RequestUri!.PathAndQuery}");
        try
        {
            return await RewriteAsync(await ForwardAsync(request, cancellationToken), cancellationToken);
        }
        catch (Exception e)
        {
            Failures.Enqueue(e);
            throw;
        }
    }

    /// <summary>Sends the request on to the server; a stand-in server overrides it.</summary>
    protected virtual Task<HttpResponseMessage> ForwardAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    protected virtual Task<HttpResponseMessage> RewriteAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        Task.FromResult(response);
}
