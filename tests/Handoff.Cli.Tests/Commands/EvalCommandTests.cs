using System.Text.Json;

namespace Handoff.Cli.Tests.Commands;

/// <summary>
/// <c>handoff eval</c> on a small slice: a synthetic data set in the harness's format streamed through a real server,
/// with a table, a JSON report and a PNG chart. The full runs on CLINC150 and Bitext are <c>./build.sh eval</c>.
/// </summary>
public sealed class EvalCommandTests
{
    private static readonly string[] Labels = ["order_status", "refund", "opening_hours", "reset_password", "oos"];

    private static IEnumerable<string> Lines()
    {
        var random = new Random(3);
        string[][] templates =
        [
            ["where is my order {0}", "has parcel {0} shipped yet", "track order {0} for me", "when will order {0} arrive"],
            ["i want my money back for order {0}", "refund order {0} please", "give me a refund for {0}", "can i get a refund on {0}"],
            ["when do you open on day {0}", "what are your opening hours {0}", "are you open at {0} o'clock", "what time do you close {0}"],
            ["i forgot my password {0}", "reset my password for account {0}", "cannot log in to account {0}", "help me change password {0}"],
            ["what is the weather like {0}", "tell me a joke number {0}", "who won the match {0}", "how tall is mountain {0}"],
        ];
        for (var i = 0; i < 600; i++)
        {
            var label = i % Labels.Length;
            var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, templates[label][random.Next(4)], random.Next(1000, 9999));
            yield return JsonSerializer.Serialize(new { text, label = Labels[label], split = i < 200 ? "train" : "test" });
        }
    }

    [Fact]
    public async Task Run_StreamsTheTestSplitThroughARealServer_AndReportsOverTime_AsATableJsonAndAChart()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "slice.jsonl");
        var must = Path.Combine(dir.Path, "must-escalate.txt");
        await File.WriteAllLinesAsync(data, Lines(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(must, "# out of scope goes to people\noos\n", TestContext.Current.CancellationToken);
        var json = Path.Combine(dir.Path, "report.json");
        var chart = Path.Combine(dir.Path, "report.png");

        var (exit, output, error) = await CliRunner.RunAsync(
            "eval", "run", "--data", data, "--must-escalate", must, "--max-error", "0.1", "--confidence", "0.9", "--min-decisions", "50",
            "--qa-sample", "0.5", "--retrain-every", "50", "--report-every", "100", "--json", json, "--chart", chart);

        Assert.True(exit == 0, error);
        Assert.Contains("slice.jsonl: 200 train, 400 test examples; maxError 10.0 % at 90 % confidence", output, StringComparison.Ordinal);
        Assert.Contains("run 1 of 1 [", error, StringComparison.Ordinal);
        Assert.Contains("the agent's classifier (sentence embeddings) named the true label for", output, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken));
        Assert.Equal("embeddings", report.RootElement.GetProperty("settings").GetProperty("agent").GetString());
        var run = Assert.Single(report.RootElement.GetProperty("runs").EnumerateArray());
        var points = run.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([100, 200, 300, 400], points.Select(static p => p.GetProperty("cases").GetInt32()));
        var final = points[^1].GetProperty("gate");
        // Every case was either automated or seen by a person; out-of-scope (a fifth) never counts as automatable.
        Assert.Equal(400, final.GetProperty("automated").GetInt32() + final.GetProperty("personDecisions").GetInt32());
        Assert.InRange(final.GetProperty("automatable").GetInt32(), 1, 320);
        // An easy stream: the gate learns, certifies a threshold, and approves cases on its own within its bound.
        Assert.True(final.GetProperty("automated").GetInt32() > 0, output);
        Assert.InRange(final.GetProperty("silentError").GetDouble(), 0, 0.1);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(chart, TestContext.Current.CancellationToken))[..4]);
    }

    [Fact]
    public async Task Run_WithTheNgramAgent_SaysSo()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "slice.jsonl");
        await File.WriteAllLinesAsync(data, Lines(), TestContext.Current.CancellationToken);

        var (exit, output, error) = await CliRunner.RunAsync("eval", "run", "--data", data, "--agent", "text", "--limit", "50", "--report-every", "50");

        Assert.True(exit == 0, error);
        Assert.Contains("the agent's classifier (n-grams) named the true label for", output, StringComparison.Ordinal);
        Assert.Contains("     50  ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-error", "0.5", "--max-error: must be above 0 and below 0.5")]
    [InlineData("--qa-sample", "0", "--qa-sample: above 0, at most 1")]
    [InlineData("--runs", "0", "--runs: from 1 to 100")]
    public async Task Run_RefusesBadSettings_NamingTheOption(string option, string value, string expected)
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "slice.jsonl");
        await File.WriteAllLinesAsync(data, Lines(), TestContext.Current.CancellationToken);

        var (exit, _, error) = await CliRunner.RunAsync("eval", "run", "--data", data, option, value);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RefusesALineThatIsNotAnExample_NamingItsNumber()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "bad.jsonl");
        await File.WriteAllTextAsync(data, "{\"text\":\"hi\",\"label\":\"greeting\",\"split\":\"train\"}\n{\"text\":\"hi\",\"split\":\"dev\"}\n", TestContext.Current.CancellationToken);

        var (exit, _, error) = await CliRunner.RunAsync("eval", "run", "--data", data);

        Assert.NotEqual(0, exit);
        Assert.Contains("bad.jsonl:2: each line needs", error, StringComparison.Ordinal);
    }
}
