using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Handoff.Server.Tests.Notifications.Slack;

/// <summary>One request Slack's stand-in received: the Web API method (or the hook's path), the bearer token, the body.</summary>
internal sealed record SlackCall(string Method, string? Token, JsonElement Body);

/// <summary>
/// Slack, as far as Handoff talks to it: a real Kestrel app on 127.0.0.1 with an ephemeral port that answers
/// <c>chat.postMessage</c>, <c>chat.update</c>, <c>views.open</c> and <c>users.info</c> the way Slack's Web API does
/// (HTTP 200, <c>{"ok":true,…}</c>), and incoming webhooks and response URLs under <c>/hooks/</c> the way those do
/// (<c>ok</c> as text). It records every request for the test to look at; a test can make the next call of a method
/// fail as Slack fails.
/// </summary>
internal sealed class SlackStandIn : IAsyncDisposable
{
    private readonly ConcurrentQueue<SlackCall> _calls = new();
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _failNext = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new(StringComparer.Ordinal);
    private int _messages;
    private WebApplication _app = null!;

    /// <summary>The e-mail address <c>users.info</c> gives for each Slack user id; users not here are <c>user_not_found</c>.</summary>
    public ConcurrentDictionary<string, string?> Emails { get; } = new(StringComparer.Ordinal);

    public Uri Address { get; private set; } = null!;

    /// <summary>What to configure as <c>apiBaseUrl</c>.</summary>
    public string ApiBaseUrl => new Uri(Address, "api/").AbsoluteUri;

    /// <summary>An incoming webhook's (or a response URL's) address; posts to it are recorded as <c>hooks/{name}</c>.</summary>
    public Uri Hook(string name) => new(Address, $"hooks/{name}");

    public static async Task<SlackStandIn> StartAsync()
    {
        var standIn = new SlackStandIn();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapPost("/api/{method}", standIn.WebApiAsync);
        app.MapGet("/api/users.info", standIn.UserInfoAsync);
        app.MapPost("/hooks/{**name}", standIn.HookAsync);
        await app.StartAsync();
        standIn._app = app;
        standIn.Address = app.ListeningAddress();
        return standIn;
    }

    /// <summary>Every call of <paramref name="method"/> (<c>chat.postMessage</c>, <c>hooks/incoming</c>…) so far, in order.</summary>
    public IReadOnlyList<SlackCall> Calls(string method) => [.. _calls.Where(c => c.Method == method)];

    public IReadOnlyList<SlackCall> AllCalls => [.. _calls];

    /// <summary>The next call of <paramref name="method"/> gets <paramref name="status"/> and <paramref name="body"/> (and Retry-After, when given).</summary>
    public void FailNext(string method, int status, string body, int? retryAfterSeconds = null) =>
        _failNext[method] = async context =>
        {
            context.Response.StatusCode = status;
            if (retryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await context.Response.WriteAsync(body);
        };

    /// <summary>Calls of <paramref name="method"/> are recorded, then left unanswered until the returned source completes.</summary>
    public TaskCompletionSource Hold(string method) =>
        _holds.GetOrAdd(method, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Waits (bounded) until <paramref name="method"/> has been called at least once.</summary>
    public async Task UntilCalledAsync(string method)
    {
        for (var i = 0; i < 500 && Calls(method).Count == 0; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.NotEmpty(Calls(method));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hold in _holds.Values)
        {
            hold.TrySetResult();
        }

        await _app.DisposeAsync();
    }

    private async Task HeldAsync(string method, HttpContext context)
    {
        if (_holds.TryGetValue(method, out var hold))
        {
            await hold.Task.WaitAsync(context.RequestAborted);
        }
    }

    private async Task WebApiAsync(string method, HttpContext context)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var body = document.RootElement.Clone();
        _calls.Enqueue(new SlackCall(method, Token(context), body));
        await HeldAsync(method, context);
        if (_failNext.TryRemove(method, out var fail))
        {
            await fail(context);
            return;
        }

        JsonObject answer = method switch
        {
            "chat.postMessage" => new()
            {
                ["ok"] = true,
                // Slack answers with the channel's id whatever the request named it by.
                ["channel"] = Text(body, "channel") is { } c && c.StartsWith('#') ? "C0STANDIN" : Text(body, "channel"),
                ["ts"] = string.Create(CultureInfo.InvariantCulture, $"1700000000.{Interlocked.Increment(ref _messages):D6}"),
                ["message"] = new JsonObject { ["text"] = Text(body, "text") },
            },
            "chat.update" => new() { ["ok"] = true, ["channel"] = Text(body, "channel"), ["ts"] = Text(body, "ts"), ["text"] = Text(body, "text") },
            "views.open" => new() { ["ok"] = true, ["view"] = new JsonObject { ["id"] = "V0STANDIN" } },
            _ => new() { ["ok"] = false, ["error"] = "unknown_method" },
        };
        await context.Response.WriteAsJsonAsync(answer);
    }

    private async Task UserInfoAsync(HttpContext context)
    {
        var user = context.Request.Query["user"].ToString();
        _calls.Enqueue(new SlackCall("users.info", Token(context), JsonSerializer.SerializeToElement(new { user })));
        await HeldAsync("users.info", context);
        if (_failNext.TryRemove("users.info", out var fail))
        {
            await fail(context);
            return;
        }

        JsonObject answer = Emails.TryGetValue(user, out var email)
            ? new() { ["ok"] = true, ["user"] = new JsonObject { ["id"] = user, ["name"] = user.ToLowerInvariant(), ["profile"] = new JsonObject { ["email"] = email } } }
            : new() { ["ok"] = false, ["error"] = "user_not_found" };
        await context.Response.WriteAsJsonAsync(answer);
    }

    private async Task HookAsync(string name, HttpContext context)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var method = $"hooks/{name}";
        _calls.Enqueue(new SlackCall(method, Token(context), document.RootElement.Clone()));
        if (_failNext.TryRemove(method, out var fail))
        {
            await fail(context);
            return;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync("ok");
    }

    private static string? Token(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is { Length: > 7 } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
