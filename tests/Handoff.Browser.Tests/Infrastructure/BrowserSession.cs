using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Browser.Tests.Infrastructure;

/// <summary>One person at one browser: a context of its own (cookies, circuit) and its page.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _console = [];

    public BrowserSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        Page.Console += (_, message) => Record($"console.{message.Type}: {message.Text}");
        Page.PageError += (_, error) => Record($"page error: {error}");
        Page.WebSocket += (_, socket) => socket.Close += (_, _) => Record($"websocket closed: {socket.Url}");
    }

    public IPage Page { get; }

    /// <summary>Signs in through the form and waits for the inbox to be live.</summary>
    public async Task SignInAsync(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        await SubmitSignInAsync(person.Email, person.Password);
        await Expect(Page).ToHaveURLAsync(new Uri(new Uri(Page.Url), "/").ToString());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Exact = true })).ToBeVisibleAsync();
        await UntilLiveAsync();
    }

    public async Task SubmitSignInAsync(string email, string password)
    {
        await Page.GotoAsync("/signin");
        await Page.Locator("#email").FillAsync(email);
        await Page.Locator("#password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Loads <paramref name="path"/> afresh and waits until the page is live.</summary>
    public async Task OpenAsync(string path)
    {
        await Page.GotoAsync(path);
        await UntilLiveAsync();
    }

    /// <summary>
    /// Waits until the page runs over its circuit: a page attaches to the keyboard once it is interactive and then
    /// marks the body (see dashboard.js). Keys pressed or clicks made before that are lost.
    /// </summary>
    public Task UntilLiveAsync() => Expect(Page.Locator("body[data-interactive=true]")).ToBeAttachedAsync();

    /// <summary>The row of a case in the inbox.</summary>
    public ILocator Row(string caseId) => Page.Locator($"li.case-row[data-case-id='{caseId}']");

    /// <summary>Whether anything is wider than the window, which on a phone means sideways scrolling.</summary>
    public Task<bool> OverflowsAsync() =>
        Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");

    /// <summary>Saves what the page shows (picture, HTML) and what its console said, for a failed test.</summary>
    public async Task SaveAsync(string folder, string name)
    {
        var stem = Path.Combine(folder, string.Concat(name.Split(Path.GetInvalidFileNameChars())));
        try
        {
            await Page.ScreenshotAsync(new() { Path = stem + ".png", FullPage = true, Timeout = 5_000 });
            await File.WriteAllTextAsync(stem + ".html", await Page.ContentAsync());
        }
        catch (PlaywrightException)
        {
            // A page that cannot be pictured any more still leaves its console below.
        }

        string[] lines;
        lock (_console)
        {
            lines = [$"url: {Page.Url}", .. _console];
        }

        await File.WriteAllLinesAsync(stem + ".log", lines);
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private void Record(string line)
    {
        lock (_console)
        {
            _console.Add($"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {line}");
        }
    }
}
