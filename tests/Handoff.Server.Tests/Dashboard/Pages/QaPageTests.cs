using Bunit;
using Handoff.Core.Cases;
using Handoff.Core.Learning;
using Handoff.Core.Policy;
using Handoff.Server.Dashboard.Pages;

namespace Handoff.Server.Tests.Dashboard.Pages;

/// <summary>The QA page (approvals made without a person, checked after the fact) and the gate's prediction on a case.</summary>
public sealed class QaPageTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static async Task<HandoffCase> ApprovedByTheGateAsync(DashboardTestContext context, string summary)
    {
        var at = context.Time.GetUtcNow();
        var content = new CaseContent
        {
            Kind = CaseKind.Reply,
            Summary = summary,
            Conversation = [new Message("customer", "Where is my parcel?")],
            Proposal = new Proposal("It ships tomorrow.", null, 0.5),
        };
        var evaluation = new Evaluation(Outcome.Auto, [new Reason("low-confidence", "Confidence 0.5 is below the floor 0.75.", Outcome.Review)], "support", Priority.Normal, 0.75, 1)
        {
            Learned = new GateJudgement(0.97, 0.9, Approved: true, Sample: true),
        };
        var created = await context.Store.CreateCaseAsync(new HandoffCase
        {
            Id = "cs_" + Guid.NewGuid().ToString("N"), WorkspaceId = context.WorkspaceId, Content = content, Evaluation = evaluation,
            Status = CaseStatus.Approved, CreatedAt = at, Decision = Decisions.ByLearnedGate(content, 1, at),
        }, Ct);
        return created.Case;
    }

    [Fact]
    public async Task WithNothingToCheck_SaysSo_AndThatLearningIsOff()
    {
        await using var context = await DashboardTestContext.CreateAsync();

        var page = context.Render<QaPage>();

        page.WaitForAssertion(() => Assert.Equal("Nothing waits for a check.", page.Find("#qa-empty").TextContent));
        Assert.Equal("learning is off in this policy", page.Find("#gate-status").TextContent);
    }

    [Fact]
    public async Task ACheck_IsRecorded_AndTheCaseLeavesTheQueue()
    {
        await using var context = await DashboardTestContext.CreateAsync(Handoff.Storage.UserRole.Reviewer);
        await context.AddCaseLoopAsync();
        var first = await ApprovedByTheGateAsync(context, "Parcel 1");
        context.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await ApprovedByTheGateAsync(context, "Parcel 2");

        var page = context.Render<QaPage>();
        page.WaitForAssertion(() => Assert.Equal([first.Id, second.Id], page.FindAll("#qa-cases > li").Select(static li => li.GetAttribute("data-id"))));
        Assert.Contains("approved by the learned gate", page.Find("#qa-cases > li").TextContent, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.Find($"#qa-cases > li[data-id='{first.Id}'] button.disagree").ClickAsync(new()));

        page.WaitForAssertion(() => Assert.Equal("Checked.", page.Find("#qa-banner").TextContent));
        Assert.Equal([second.Id], page.FindAll("#qa-cases > li").Select(static li => li.GetAttribute("data-id")));
        var checkedCase = await context.Store.GetCaseAsync(context.WorkspaceId, first.Id, Ct);
        Assert.Equal((false, context.User.Id), (checkedCase!.Qa!.Agreed, checkedCase.Qa.By.Id));
        Assert.Empty(page.FindAll("#gate-switch"));
    }

    [Theory]
    [InlineData(0.93, 0.9, "Learned gate: 93% likely to be approved unchanged · the gate would approve it (0.9)")]
    // A gate trained on a clear history certifies thresholds near 1 (the scores are kept in double precision for that):
    // rounded to three places, 0.9998 read "(1)", a bar no score could clear, beside a case the gate would approve.
    [InlineData(0.99991, 0.9998, "Learned gate: 100% likely to be approved unchanged · the gate would approve it (0.9998)")]
    [InlineData(0.99975, 0.9998, "Learned gate: 100% likely to be approved unchanged · below the gate's threshold (0.9998)")]
    public async Task TheCaseView_ShowsTheGatesPrediction(double score, double threshold, string expected)
    {
        await using var context = await DashboardTestContext.CreateAsync();
        var cases = await context.AddCaseLoopAsync();
        var refund = await cases.SubmitRefundAsync(context, 2500);
        await context.Store.ReleaseCaseAsync(context.WorkspaceId, refund.Id, Actor.System, context.Time.GetUtcNow(), Ct);
        // As the gate in advise mode leaves it: a score and its threshold, nothing approved.
        var advised = refund with { Id = "cs_" + Guid.NewGuid().ToString("N"), Evaluation = refund.Evaluation with { Learned = new GateJudgement(score, threshold, Approved: false, Sample: true) } };
        await context.Store.CreateCaseAsync(advised, Ct);

        var page = context.Render<CaseView>(p => p.Add(c => c.Id, advised.Id));

        page.WaitForAssertion(() => Assert.Equal(
            expected,
            string.Join(' ', page.Find("#learned-prediction").TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))));
    }
}
