using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Handoff.Storage.Sqlite;

namespace Handoff.Cli.Tests.Commands;

/// <summary><c>handoff export decisions</c>: people's decisions as supervised and preference pairs.</summary>
public sealed class ExportCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Supervised_IsOneLinePerDecision_WithTheCaseTheProposalWhatWentAheadAndTheVerdict()
    {
        using var dir = new TempDirectory();
        await SeedAsync(dir);

        var (exit, output, error) = await CliRunner.RunAsync("export", "decisions", "--format", "jsonl", "--data", dir.Path);

        Assert.True(exit == 0, error);
        Assert.Contains("3 supervised pairs", error, StringComparison.Ordinal);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["approve", "edit", "reject"], lines.Select(static l => l.GetProperty("verdict").GetString()));
        Assert.Equal("Refund 1500", lines[0].GetProperty("input").GetProperty("summary").GetString());
        Assert.Equal("Refunded.", lines[0].GetProperty("output").GetProperty("text").GetString());
        Assert.Equal("Refunded half.", lines[1].GetProperty("output").GetProperty("text").GetString());
        Assert.Equal("Refunded.", lines[1].GetProperty("proposal").GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, lines[2].GetProperty("output").ValueKind);
        Assert.Equal("high-value", lines[2].GetProperty("reasons")[0].GetProperty("rule").GetString());
        Assert.False(lines[2].GetProperty("labels").GetProperty("approvedUnchanged").GetBoolean());
    }

    [Fact]
    public async Task Preference_KeepsOnlyDecisionsWhereThePersonsOutputReplacedTheAIs_ToAFile()
    {
        using var dir = new TempDirectory();
        await SeedAsync(dir);
        var file = Path.Combine(dir.Path, "pairs.jsonl");

        var (exit, output, error) = await CliRunner.RunAsync("export", "decisions", "--pairs", "preference", "--out", file, "--data", dir.Path);

        Assert.True(exit == 0, error);
        Assert.Equal("", output.Trim());
        var pair = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(file, Ct))).RootElement;
        Assert.Equal("Refunded half.", pair.GetProperty("chosen").GetProperty("text").GetString());
        Assert.Equal("Refunded.", pair.GetProperty("rejected").GetProperty("text").GetString());
        Assert.Equal("Refund 1200", pair.GetProperty("prompt").GetProperty("summary").GetString());
    }

    [Theory]
    [InlineData("--format", "csv")]
    [InlineData("--pairs", "triples")]
    [InlineData("--since", "always")]
    [InlineData("--workspace", "nowhere")]
    public async Task BadArguments_ExitTwoAndNameThem(string option, string value)
    {
        using var dir = new TempDirectory();
        await SeedAsync(dir);

        var (exit, _, error) = await CliRunner.RunAsync("export", "decisions", option, value, "--data", dir.Path);

        Assert.Equal(2, exit);
        Assert.Contains(value, error, StringComparison.Ordinal);
    }

    private static async Task SeedAsync(TempDirectory dir)
    {
        var policy = PolicyCompiler.Compile(BuiltInPolicy.Yaml).Policy!;
        using var store = new SqliteHandoffStore(Path.Combine(dir.Path, "handoff.db"), TimeProvider.System);
        await store.MigrateAsync(Ct);
        var ws = await store.EnsureWorkspaceAsync("default", Actor.Cli("t"), Ct);
        var person = new Actor("user", "usr_1", "Rita");
        foreach (var (amount, verdict) in new[] { (1500, Verdict.Approve), (1200, Verdict.Edit), (1100, Verdict.Reject) })
        {
            var content = new CaseContent
            {
                Kind = CaseKind.Action,
                Summary = $"Refund {amount}",
                Facts = JsonSerializer.SerializeToElement(new { amount }),
                Conversation = [new Message("customer", "It broke.")],
                Proposal = new Proposal("Refunded.", null, 0.9),
            };
            var created = (await store.CreateCaseAsync(new HandoffCase
            {
                Id = $"cs_{Guid.NewGuid():N}", WorkspaceId = ws.Id, Content = content, Evaluation = policy.Evaluate(content),
                Status = CaseStatus.Pending, CreatedAt = TimeProvider.System.GetUtcNow(),
            }, Ct)).Case;
            await store.DecideCaseAsync(ws.Id, created.Id, new Decision
            {
                Verdict = verdict,
                Text = verdict == Verdict.Reject ? "No." : null,
                Result = verdict switch { Verdict.Approve => content.Proposal, Verdict.Edit => new Proposal("Refunded half.", null, 0.9), _ => null },
                ProposalDigest = new string('a', 64),
                DecidedBy = person,
                DecidedAt = TimeProvider.System.GetUtcNow(),
            }, verdict == Verdict.Reject ? CaseStatus.Rejected : CaseStatus.Approved, Ct);
        }
    }
}
