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
}
