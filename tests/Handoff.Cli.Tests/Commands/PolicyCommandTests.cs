using System.Text.Json;
using Handoff.Core.Policy;

namespace Handoff.Cli.Tests.Commands;

public sealed class PolicyCommandTests
{
    [Fact]
    public async Task Validate_GoodPolicy_ExitsZero()
    {
        using var dir = new TempDirectory();
        var file = dir.File("policy.yaml", BuiltInPolicy.Yaml);

        var (exit, output, _) = await CliRunner.RunAsync("policy", "validate", file);

        Assert.Equal(0, exit);
        Assert.Contains("ok (3 rules)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AgainstAWorkspace_WarnsOfEachTeamItLacksByLineAndField_AndStillExitsZero()
    {
        using var dir = new TempDirectory();
        var file = dir.File("policy.yaml", BuiltInPolicy.Yaml);
        var (added, _, addError) = await CliRunner.RunAsync("teams", "add", "support", "--data", dir.Path);
        Assert.True(added == 0, addError);

        var (exit, output, error) = await CliRunner.RunAsync("policy", "validate", file, "--workspace", "default", "--data", dir.Path);

        // The built-in policy sends cases to support (which exists), specialists (rules[0]) and sales (rules[1]).
        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"policy\.yaml:13: warning: rules\[0\]\.team: No team 'specialists' in this workspace", lines[0]);
        Assert.Matches(@"policy\.yaml:20: warning: rules\[1\]\.team: No team 'sales' in this workspace", lines[1]);
        Assert.EndsWith("ok (3 rules, 2 warnings)", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AgainstAWorkspaceThatDoesNotExist_ExitsTwoAndCreatesNothing()
    {
        using var dir = new TempDirectory();
        var file = dir.File("policy.yaml", BuiltInPolicy.Yaml);
        await CliRunner.RunAsync("teams", "add", "support", "--data", dir.Path);

        var (exit, _, error) = await CliRunner.RunAsync("policy", "validate", file, "--workspace", "elsewhere", "--data", dir.Path);
        var (again, _, _) = await CliRunner.RunAsync("policy", "validate", file, "--workspace", "elsewhere", "--data", dir.Path);

        Assert.Equal((2, 2), (exit, again));
        Assert.Contains("no workspace 'elsewhere'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadPolicy_ExitsOneWithFileLineColumnMessages()
    {
        using var dir = new TempDirectory();
        var file = dir.File("bad.yaml", """
            rules:
              - id: x
                when:
                  facts.amount: { bigger: 3 }
                outcome: review
                reason: r
              - id: y
                when:
                  nonsense.field: { eq: 1 }
                outcome: perhaps
                reason: r
            """);

        var (exit, output, _) = await CliRunner.RunAsync("policy", "validate", file);

        Assert.Equal(1, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 3, output);
        Assert.All(lines, l => Assert.Matches(@"^.+bad\.yaml:\d+:\d+: .+", l));
        Assert.Contains(lines, l => l.Contains("bad.yaml:4:", StringComparison.Ordinal) && l.Contains("bigger", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("bad.yaml:10:", StringComparison.Ordinal) && l.Contains("perhaps", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_PrintsOutcomeAndReasonsAsJson()
    {
        using var dir = new TempDirectory();
        var policy = dir.File("policy.yaml", BuiltInPolicy.Yaml);
        var @case = dir.File("case.json", """
            {"kind":"reply","summary":"Customer asks about a prescription",
             "facts":{"amount":2000},
             "proposal":{"text":"Please see a doctor.","confidence":0.5}}
            """);

        var (exit, output, error) = await CliRunner.RunAsync("policy", "test", policy, "--case", @case);

        Assert.True(exit == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal("escalate", result.GetProperty("outcome").GetString());
        var rules = result.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("rule").GetString()).ToList();
        Assert.Contains("medical-legal", rules);
        Assert.Contains("high-value", rules);
        Assert.Contains("low-confidence", rules);
        Assert.Equal("specialists", result.GetProperty("team").GetString());
    }

    [Fact]
    public async Task Test_WithInvalidCase_ExitsTwoNamingTheField()
    {
        using var dir = new TempDirectory();
        var policy = dir.File("policy.yaml", BuiltInPolicy.Yaml);
        var @case = dir.File("case.json", """{"kind":"sonnet"}""");

        var (exit, _, error) = await CliRunner.RunAsync("policy", "test", policy, "--case", @case);

        Assert.Equal(2, exit);
        Assert.Contains("kind", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_ReplaysTheWorkspacesCases_AndSaysWhatTheCandidateWouldChange()
    {
        using var dir = new TempDirectory();
        var policy = PolicyCompiler.Compile(BuiltInPolicy.Yaml).Policy!;
        using (var store = new Handoff.Storage.Sqlite.SqliteHandoffStore(Path.Combine(dir.Path, "handoff.db"), TimeProvider.System))
        {
            await store.MigrateAsync(TestContext.Current.CancellationToken);
            var ws = await store.EnsureWorkspaceAsync("default", Handoff.Core.Cases.Actor.Cli("t"), TestContext.Current.CancellationToken);
            foreach (var (amount, verdict) in new[] { (1500, Handoff.Core.Cases.Verdict.Approve), (1200, Handoff.Core.Cases.Verdict.Reject) })
            {
                var content = new Handoff.Core.Cases.CaseContent
                {
                    Kind = Handoff.Core.Cases.CaseKind.Action,
                    Summary = $"Refund {amount}",
                    Facts = JsonSerializer.SerializeToElement(new { amount }),
                    Proposal = new Handoff.Core.Cases.Proposal("Refunded.", null, 0.9),
                };
                var created = (await store.CreateCaseAsync(new Handoff.Core.Cases.HandoffCase
                {
                    Id = $"cs_{Guid.NewGuid():N}", WorkspaceId = ws.Id, Content = content, Evaluation = policy.Evaluate(content),
                    Status = Handoff.Core.Cases.CaseStatus.Pending, CreatedAt = TimeProvider.System.GetUtcNow(),
                }, TestContext.Current.CancellationToken)).Case;
                await store.DecideCaseAsync(ws.Id, created.Id, new Handoff.Core.Cases.Decision
                {
                    Verdict = verdict, Text = "no", ProposalDigest = new string('a', 64), DecidedBy = new("user", "usr_1", "Rita"), DecidedAt = TimeProvider.System.GetUtcNow(),
                }, Handoff.Core.Cases.CaseStatus.Approved, TestContext.Current.CancellationToken);
            }
        }

        var candidate = dir.File("candidate.yaml", BuiltInPolicy.Yaml.Replace("gt: 1000", "gt: 2000", StringComparison.Ordinal));

        var (exit, output, error) = await CliRunner.RunAsync("policy", "simulate", candidate, "--since", "7d", "--data", dir.Path);
        var (jsonExit, json, _) = await CliRunner.RunAsync("policy", "simulate", candidate, "--json", "--data", dir.Path);

        Assert.True(exit == 0, error);
        Assert.Contains("Replayed 2 cases of the last 7d: 2 would change.", output, StringComparison.Ordinal);
        Assert.Contains("review    -> auto             2", output, StringComparison.Ordinal);
        Assert.Contains("sales                       2 ->        0  (-2)", output, StringComparison.Ordinal);
        Assert.Contains("Errors it would let through: 1 of 2 (50.0 %", output, StringComparison.Ordinal);
        Assert.Equal(0, jsonExit);
        Assert.Equal(1, JsonDocument.Parse(json).RootElement.GetProperty("letThrough").GetInt32());
    }

    [Theory]
    [InlineData("--since", "forever", 2)]
    [InlineData("--workspace", "nowhere", 2)]
    public async Task Simulate_BadArguments_ExitTwoAndSayWhy(string option, string value, int code)
    {
        using var dir = new TempDirectory();
        var candidate = dir.File("candidate.yaml", BuiltInPolicy.Yaml);

        var (exit, _, error) = await CliRunner.RunAsync("policy", "simulate", candidate, option, value, "--data", dir.Path);

        Assert.Equal(code, exit);
        Assert.Contains(value, error, StringComparison.Ordinal);
    }
}
