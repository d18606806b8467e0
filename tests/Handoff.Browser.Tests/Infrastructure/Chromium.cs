using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Handoff.Browser.Tests.Infrastructure.Chromium))]

namespace Handoff.Browser.Tests.Infrastructure;

/// <summary>
/// One headless Chromium for the whole run: Debian's build at /usr/bin/chromium (installed by <c>build.sh</c>), driven
/// by Playwright, which is never asked to download a browser of its own. Each test opens its own context from it.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>How long a locator or an expectation waits before it fails the test.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private const string DebianPath = "/usr/bin/chromium";

    // No sandbox: CI runs the tests as root, where Chromium refuses to start with one. The rest keep a headless
    // browser from reaching out (updates, sync, QUIC probes) on a machine that has no network beyond loopback.
    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        // HANDOFF_CHROMIUM points elsewhere on machines without Debian's package.
        var path = Environment.GetEnvironmentVariable("HANDOFF_CHROMIUM") is { Length: > 0 } chosen ? chosen : DebianPath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {path}, and it is not there. Install Debian's package as root " +
                "(`./build.sh prereqs`, or `apt-get install chromium`), or set HANDOFF_CHROMIUM to a Chromium binary.");
        }

        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = path, Headless = true, Args = Args });
    }

    /// <summary>A fresh browser context (its own cookies: its own person) with a page open on <paramref name="server"/>.</summary>
    /// <param name="timeZone">The IANA zone the page reports (<c>Intl</c>), the machine's when null.</param>
    public async Task<BrowserSession> OpenAsync(DashboardServer server, int width = 1280, int height = 800, string? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var context = await _browser!.NewContextAsync(new()
        {
            BaseURL = server.Address.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = timeZone,
        });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        return new BrowserSession(context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
