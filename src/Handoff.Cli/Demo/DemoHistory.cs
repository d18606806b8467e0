using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Samples.SupportAgent.Classification;
using Handoff.Server.Api;
using Handoff.Server.Cases;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Cli.Demo;

/// <summary>
/// <c>serve --demo</c>'s past: on the first run, the decisions a reviewer took on earlier low-confidence answers of
/// the agent (the sample's shipped conversations, one case each), so that the agreement page has numbers and the
/// learned gate, in advise mode under the demo policy, has something to learn from: within a minute of start it shows
/// its prediction on each new case the agent is unsure of. The reviewer approves the agent's answers as they are,
/// except on complaints, payment problems and account deletions, which they answer themselves.
/// </summary>
internal static class DemoHistory
{
    private static readonly HashSet<string> PeopleAnswer = ["complaint", "payment_issue", "delete_account", "registration_problems"];

    public static async Task SeedAsync(IServiceProvider services, string workspaceId, Actor reviewer, CancellationToken cancellationToken)
    {
        var cases = services.GetRequiredService<CaseService>();
        // The demo agent's own cases of an earlier day: its name, titled as it titles what it is unsure of.
        var agent = new Actor("agent", "demo-history", DemoAgent.KeyName);
        var random = new Random(7);
        foreach (var example in TrainingData.Shipped())
        {
            var approve = !PeopleAnswer.Contains(example.Intent);
            var content = new CaseContent
            {
                Kind = CaseKind.Reply,
                Summary = $"Unsure ({example.Intent.Replace('_', ' ')}?): {(example.Text.Length <= 60 ? example.Text : example.Text[..60])}",
                Channel = "chat",
                Facts = JsonSerializer.SerializeToElement(new { intent = example.Intent, topic = Intents.Topics[example.Intent] }),
                Conversation = [new Message("customer", example.Text)],
                // Below the demo's floor of 0.75: every one of them came to a person for low confidence alone.
                Proposal = new Proposal($"({example.Intent.Replace('_', ' ')}) I can help with that.", null, Math.Round(0.45 + (random.NextDouble() * 0.29), 2)),
            };
            var created = await cases.SubmitAsync(workspaceId, new SubmittedCase(content, null, TimeoutEffect.Reject), null, agent, cancellationToken).ConfigureAwait(false);
            if (created.Case.Status != CaseStatus.Pending)
            {
                continue;
            }

            var request = approve ? new DecisionRequest(Verdict.Approve) : new DecisionRequest(Verdict.Respond, "Let me look into this myself and get back to you today.");
            var (decided, _) = await cases.DecideAsync(workspaceId, created.Case.Id, request, reviewer, "reviewer", cancellationToken).ConfigureAwait(false);
            if (decided?.Case is { Status: CaseStatus.Approved, Decision: { } decision })
            {
                // The agent sent the approved reply then: its receipt, so the history does not wait for it for ever.
                var receipt = new ExecutionReceipt { Outcome = ExecutionOutcome.Executed, ResultDigest = decision.ResultDigest, At = decision.DecidedAt, By = agent };
                await cases.RecordReceiptAsync(workspaceId, created.Case.Id, receipt, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
