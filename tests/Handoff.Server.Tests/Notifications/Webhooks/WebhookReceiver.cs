using System.Collections.Concurrent;
using Handoff.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Handoff.Server.Tests.Notifications.Webhooks;

/// <summary>What a receiver was sent: the method, path, headers (names in lower case) and body.</summary>
internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>A real Kestrel receiver on 127.0.0.1 (a free port) that records every request and answers with <c>answer</c>.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public Uri Address => _app.ListeningAddress();

    /// <summary>The receiver's URL for <paramref name="path"/>.</summary>
    public Uri Url(string path = "/hooks/handoff") => new(Address, path);

    public static async Task<WebhookReceiver> StartAsync(Func<HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
            receiver.Requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path, headers, body));
            await answer(context);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return receiver;
    }

    /// <summary>A receiver that answers every request with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public static Task<WebhookReceiver> AnsweringAsync(int status, string body = "", Action<HttpResponse>? headers = null) =>
        StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            headers?.Invoke(context.Response);
            await context.Response.WriteAsync(body, context.RequestAborted);
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
