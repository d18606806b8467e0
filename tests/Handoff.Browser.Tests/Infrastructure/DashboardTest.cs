using System.Globalization;

namespace Handoff.Browser.Tests.Infrastructure;

/// <summary>
/// A browser test: the class's server, and the browsers and workspaces one test opens, closed after it. When the test
/// failed, each open page is saved first (picture, HTML, console) under artifacts/test-failures, so a red run on CI
/// shows what the browser showed.
/// </summary>
public abstract class DashboardTest(Chromium chromium, DashboardServer server) : IAsyncLifetime
{
    private readonly List<BrowserSession> _browsers = [];
    private readonly List<TestWorkspace> _workspaces = [];

    protected DashboardServer Server { get; } = server;

    /// <summary>A browser of its own (its own cookies: its own person), 1280 px wide unless told otherwise.</summary>
    protected async Task<BrowserSession> OpenBrowserAsync(int width = 1280, int height = 800, string? timeZone = null)
    {
        var browser = await chromium.OpenAsync(Server, width, height, timeZone);
        _browsers.Add(browser);
        return browser;
    }

    /// <summary>A browser of its own with <paramref name="person"/> signed in, on the live inbox.</summary>
    protected async Task<BrowserSession> SignedInAsync(Person person, int width = 1280, int height = 800, string? timeZone = null)
    {
        var browser = await OpenBrowserAsync(width, height, timeZone);
        await browser.SignInAsync(person);
        return browser;
    }

    /// <summary>A workspace of its own with an agent key: this test's people and cases, seen by no other test.</summary>
    internal async Task<TestWorkspace> NewWorkspaceAsync()
    {
        var workspace = await Server.NewWorkspaceAsync();
        _workspaces.Add(workspace);
        return workspace;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (TestContext.Current.TestState?.Result == TestResult.Failed)
        {
            var name = TestContext.Current.Test?.TestDisplayName ?? GetType().Name;
            for (var i = 0; i < _browsers.Count; i++)
            {
                await _browsers[i].SaveAsync(Artifacts.Failures, $"{name}-{i.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        foreach (var browser in _browsers)
        {
            await browser.DisposeAsync();
        }

        foreach (var workspace in _workspaces)
        {
            workspace.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
