using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Handoff.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Handoff.Server.Tests.Notifications.Teams;

/// <summary>
/// A Teams Workflows webhook, as far as Handoff talks to one: a real Kestrel app on 127.0.0.1 with an ephemeral port
/// that takes a posted message with <c>202 Accepted</c>, as Workflows do, and records its JSON. A test can make the
/// next post answer otherwise.
/// </summary>
internal sealed class TeamsStandIn : IAsyncDisposable
{
    private readonly ConcurrentQueue<JsonElement> _posts = new();
    private (int Status, string Body, int? RetryAfter)? _next;
    private WebApplication _app = null!;

    public Uri WebhookUrl { get; private set; } = null!;

    public IReadOnlyList<JsonElement> Posts => [.. _posts];

    public static async Task<TeamsStandIn> StartAsync()
    {
        var standIn = new TeamsStandIn();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapPost("/workflows/{id}/triggers/manual/paths/invoke", standIn.PostAsync);
        await app.StartAsync();
        standIn._app = app;
        standIn.WebhookUrl = new Uri(app.ListeningAddress(), "workflows/0a1b2c/triggers/manual/paths/invoke?api-version=1&sig=SECRETSIGNATURE");
        return standIn;
    }

    public void AnswerNext(int status, string body = "", int? retryAfterSeconds = null) => _next = (status, body, retryAfterSeconds);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task PostAsync(HttpContext context)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        _posts.Enqueue(document.RootElement.Clone());
        var (status, body, retryAfter) = _next ?? (StatusCodes.Status202Accepted, "", null);
        _next = null;
        context.Response.StatusCode = status;
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(body);
    }
}
