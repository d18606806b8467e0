using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Handoff.Cli.Tests.Commands;

/// <summary>
/// <c>handoff serve --demo</c> as a newcomer runs it: keys and sign-ins printed, the demo shop's policy published, and
/// the sample support agent, in-process, filling the inbox with cases to work; a restart keeps the same keys.
/// </summary>
public sealed partial class ServeDemoTests
{
    [Fact]
    public async Task ServeDemo_FreshFolder_TheSampleAgentFillsTheInbox_AndARestartKeepsTheKeys()
    {
        using var data = new TempDirectory();
        var url = $"http://127.0.0.1:{CliRunner.FreePort()}";

        IReadOnlyDictionary<string, string> keys;
        using (var first = CliRunner.Start("serve", "--demo", "--data", data.Path, "--urls", url))
        {
            try
            {
                keys = await ReadKeysAsync(first);
                using var reviewer = Client(url, keys["reviewer"]);
                var cases = await UntilCasesAsync(reviewer, 5);

                Assert.All(cases, c => Assert.Equal("demo agent", (string?)c["submittedBy"]!["name"]));
                Assert.Contains(cases, c => (string?)c["status"] == "pending");
                Assert.All(cases, c => Assert.NotNull(c["proposal"]!["confidence"]));
                Assert.All(cases, AssertSaysNothingUntrue);
                using var admin = Client(url, keys["admin"]);
                var policy = await admin.GetStringAsync("/v1/policy", TestContext.Current.CancellationToken);
                Assert.Contains("money-back", policy, StringComparison.Ordinal);
                Assert.Contains("mode: live", policy, StringComparison.Ordinal);
                Assert.Contains("approvals: 2", policy, StringComparison.Ordinal);
                Assert.Contains("mode: advise", policy, StringComparison.Ordinal);
                // The history the learned gate learns from: decided by Riley, on the agent's earlier unsure answers.
                var history = await reviewer.GetFromJsonAsync<JsonObject>("/v1/learning/agreement?by=intent", TestContext.Current.CancellationToken);
                Assert.True((int)history!["decisions"]! >= 300, history.ToJsonString());
                // The agent sent those approved replies back then: none of the history waits for its receipt.
                var unreported = await reviewer.GetFromJsonAsync<JsonObject>("/v1/cases?receipt=missing&limit=200", TestContext.Current.CancellationToken);
                Assert.DoesNotContain(unreported!["items"]!.AsArray(), c => (string?)c!["submittedBy"]!["id"] == "demo-history");

                // Routing at work: support pushes its cases, people have skills, languages and capacities.
                var teams = await reviewer.GetFromJsonAsync<JsonArray>("/v1/teams", TestContext.Current.CancellationToken);
                var support = teams!.Single(t => (string?)t!["name"] == "support")!;
                Assert.Equal("push", (string?)support["mode"]);
                var people = await reviewer.GetFromJsonAsync<JsonArray>("/v1/people", TestContext.Current.CancellationToken);
                var sam = people!.Single(p => (string?)p!["email"] == "sam@demo.handoff")!;
                Assert.Contains("de", sam["languages"]!.AsArray().Select(l => (string?)l));
                Assert.Contains(people!, p => (string?)p!["role"] == "supervisor");
                Assert.Contains(people!, p => p!["skills"]!.AsArray().Any(s => (string?)s == "refunds"));
            }
            finally
            {
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
        }

        using var second = CliRunner.Start("serve", "--demo", "--data", data.Path, "--urls", url);
        try
        {
            Assert.Equal(keys, await ReadKeysAsync(second, drain: false));

            // The agent of the second run waits again on what the first left with a person, and starts no new burst.
            string? started = null;
            while (started is null && await second.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                started = line.Contains("Support demo:", StringComparison.Ordinal) ? line : null;
            }

            var resumed = DemoStarted().Match(started ?? "");
            Assert.True(resumed.Success, started);
            Assert.True(int.Parse(resumed.Groups["resumed"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, started);
            Assert.Equal("0", resumed.Groups["burst"].Value);
            Drain(second);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task ServeDemo_KeysFileOfAnotherDatabase_SeedsAnewInsteadOfPrintingDeadKeys()
    {
        using var data = new TempDirectory();
        data.File("demo-keys.json", """{"agent":"hk_gone","reviewer":"hk_gone","admin":"hk_gone"}""");
        var url = $"http://127.0.0.1:{CliRunner.FreePort()}";

        using var server = CliRunner.Start("serve", "--demo", "--data", data.Path, "--urls", url);
        try
        {
            var keys = await ReadKeysAsync(server);

            Assert.DoesNotContain("hk_gone", keys.Values);
            using var reviewer = Client(url, keys["reviewer"]);
            Assert.NotEmpty(await UntilCasesAsync(reviewer, 1));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// What a team lead reads first: a reason that the customer asked for a person only when the agent's facts say so,
    /// and a title that names an intent only when the classifier was sure of it (0.75, the sample's Evaluation.ConfidentAt).
    /// </summary>
    private static void AssertSaysNothingUntrue(JsonObject c)
    {
        var summary = (string?)c["summary"];
        var reasons = c["reasons"]!.AsArray().Select(r => (string?)r!["rule"]).ToList();
        Assert.True(
            reasons.Contains("asks-for-person") == ((bool?)c["facts"]!["asksForPerson"] == true),
            $"{summary}: reasons {string.Join(", ", reasons)} beside the facts {c["facts"]!.ToJsonString()}");
        Assert.True(
            (double)c["proposal"]!["confidence"]! >= 0.75 || summary!.StartsWith("Unsure", StringComparison.Ordinal),
            $"{summary}: titled with an intent at confidence {c["proposal"]!["confidence"]}");
    }

    private static async Task<IReadOnlyDictionary<string, string>> ReadKeysAsync(Process server, bool drain = true)
    {
        var keys = new Dictionary<string, string>();
        while (keys.Count < 3 && await server.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (KeyLine().Match(line) is { Success: true } match)
            {
                keys[match.Groups["role"].Value] = match.Groups["key"].Value;
            }
        }

        if (keys.Count < 3)
        {
            Assert.Fail("the demo did not print its three keys: " + await server.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        }

        if (drain)
        {
            Drain(server);
        }

        return keys;
    }

    // The agent logs every case; a pipe nobody reads would fill and stall the server's logging, and the server.
    private static void Drain(Process server)
    {
        _ = server.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = server.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<IReadOnlyList<JsonObject>> UntilCasesAsync(HttpClient reviewer, int count)
    {
        IReadOnlyList<JsonObject> cases = [];
        for (var i = 0; i < 600 && cases.Count < count; i++)
        {
            var page = await reviewer.GetFromJsonAsync<JsonObject>("/v1/cases", TestContext.Current.CancellationToken);
            // The seeded history of earlier decisions (DemoHistory) is not what the agent sends now.
            cases = [.. page!["items"]!.AsArray().Select(c => c!.AsObject()).Where(c => (string?)c["submittedBy"]!["id"] != "demo-history")];
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True(cases.Count >= count, $"only {cases.Count} cases from the demo's agent");
        return cases;
    }

    private static HttpClient Client(string url, string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [GeneratedRegex(@"^\s+(?<role>agent|reviewer|admin) key\s+(?<key>hk_\S+)$")]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"(?<resumed>\d+) cases of an earlier run waited on again, (?<burst>\d+) conversations now")]
    private static partial Regex DemoStarted();
}
