using Handoff.Client;
using Handoff.Samples.SupportAgent.Classification;

namespace Handoff.Samples.SupportAgent.Tests;

/// <summary>
/// Every case the demo's 81 conversations make, as a team lead sees it in the inbox: the title and the reasons must
/// not say what the agent does not know.
/// </summary>
public sealed class DemoCasesTests
{
    [Fact]
    public async Task DemoTraffic_EveryCase_HasReasonsTheFactsBearOut()
    {
        var cases = await SubmitDemoTrafficAsync();

        Assert.All(cases, c =>
        {
            var texts = c.Case.Reasons.Select(r => r.Text).ToList();
            var asked = c.Case.Facts?["asksForPerson"]?.GetValue<bool>() == true;
            Assert.True(asked == texts.Contains("The customer asked for a person."), $"{Describe(c)}: asksForPerson {asked}, reasons {string.Join(" | ", texts)}");
            Assert.True((c.Case.Kind == CaseKind.Handoff) == texts.Contains("The agent handed the conversation to a person."), $"{Describe(c)}: reasons {string.Join(" | ", texts)}");
        });
    }

    [Fact]
    public async Task DemoTraffic_NoCaseIsTitledWithAnIntentTheClassifierIsUnsureOf()
    {
        var cases = await SubmitDemoTrafficAsync();

        Assert.All(cases, c =>
        {
            var intent = (string?)c.Case.Facts?["intent"];
            var confident = c.Case.Proposal?.Confidence >= Evaluation.ConfidentAt && intent is not null && Intents.IsKnown(intent);
            var titledWithIt = intent is not null && Drafting.Playbook.Title(intent) is { } title && c.Case.Summary!.StartsWith(title + ":", StringComparison.Ordinal);
            Assert.True(confident || !titledWithIt, $"{Describe(c)}: titled as {intent} at {c.Case.Proposal?.Confidence}");
        });
    }

    private static string Describe((string TrueIntent, HandoffCase Case) c) => $"\"{c.Case.Summary}\" (really {c.TrueIntent})";

    private static async Task<List<(string TrueIntent, HandoffCase Case)>> SubmitDemoTrafficAsync()
    {
        await using var harness = await AgentHarness.StartAsync();
        var drafter = AgentHarness.ShippedDrafter();
        var cases = new List<(string, HandoffCase)>();
        foreach (var (script, i) in DemoTraffic.Load().Select((s, i) => (s, i)))
        {
            var conversation = new Conversation($"demo-{i}", script.Channel, script.Customer, script.Conversation);
            var draft = await drafter.DraftAsync(conversation, TestContext.Current.CancellationToken);
            var submitted = await harness.Handoff.SubmitCaseAsync(CustomerSupportAgent.ToRequest(conversation, draft), TestContext.Current.CancellationToken);
            cases.Add((script.Intent, submitted.Case));
        }

        return cases;
    }
}
