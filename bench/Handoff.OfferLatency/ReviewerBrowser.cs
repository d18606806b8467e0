using Microsoft.Playwright;

namespace Handoff.OfferLatency;

/// <summary>
/// One headless Chromium (Debian's, at /usr/bin/chromium or HANDOFF_CHROMIUM; Playwright never downloads one) with one
/// reviewer signed in, as the browser tests run it (tests/Handoff.Browser.Tests/Infrastructure/Chromium.cs and
/// BrowserSession.cs). A script in the page notes, on the page's own clock, when the offer toast for a case enters the
/// DOM, the next animation frame after that, and when <c>y</c> goes down.
/// </summary>
internal sealed class ReviewerBrowser : IAsyncDisposable
{
    private const string DebianPath = "/usr/bin/chromium";

    // As in the browser tests: no sandbox (CI runs as root), nothing that reaches out from a machine with only loopback.
    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    // A MutationObserver runs in the microtask right after Blazor applied the render batch that added the toast: that is
    // "in the DOM". The frame after it is when the toast can first be on screen.
    private const string Probe = """
        (() => {
          window.__offerSeen = {};
          window.__offerFrame = {};
          const now = () => performance.timeOrigin + performance.now();
          const look = () => {
            const toast = document.getElementById('offer');
            const id = toast && toast.dataset.case;
            if (id && !(id in window.__offerSeen)) {
              window.__offerSeen[id] = now();
              requestAnimationFrame(() => { window.__offerFrame[id] = now(); });
            }
          };
          new MutationObserver(look).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-case'] });
          document.addEventListener('keydown', e => { if (e.key === 'y') { window.__yDown = now(); } }, true);
        })();
        """;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IBrowserContext _context;

    private ReviewerBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<ReviewerBrowser> SignInAsync(Uri server, string email, string password)
    {
        var path = Environment.GetEnvironmentVariable("HANDOFF_CHROMIUM") is { Length: > 0 } chosen ? chosen : DebianPath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Chromium is not at {path}: install Debian's package (`./build.sh prereqs`) or set HANDOFF_CHROMIUM.");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = path, Headless = true, Args = Args });
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = server.ToString(),
            ViewportSize = new() { Width = 1280, Height = 800 },
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(15_000);
        await context.AddInitScriptAsync(Probe);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/signin");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(new Uri(server, "/").ToString());
        // The page is interactive (keys reach the circuit) once dashboard.js marks the body.
        await page.Locator("body[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return new ReviewerBrowser(playwright, browser, context, page);
    }

    /// <summary>When the toast for the case entered the DOM and the frame after it (Unix ms, page clock).</summary>
    public async Task<(double Seen, double Frame)> OfferTimesAsync(string caseId)
    {
        // The frame callback may still be pending right after the toast became visible to Playwright.
        await Page.WaitForFunctionAsync("id => window.__offerFrame[id] !== undefined", caseId);
        var times = await Page.EvaluateAsync<double[]>("id => [window.__offerSeen[id], window.__offerFrame[id]]", caseId);
        return (times[0], times[1]);
    }

    /// <summary>When <c>y</c> last went down (Unix ms, page clock).</summary>
    public Task<double> KeyDownTimeAsync() => Page.EvaluateAsync<double>("() => window.__yDown");

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
