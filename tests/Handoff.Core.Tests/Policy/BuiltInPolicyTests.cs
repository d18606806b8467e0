using Handoff.Core.Cases;
using Handoff.Core.Policy;
using static Handoff.Core.Tests.Policy.PolicyTesting;

namespace Handoff.Core.Tests.Policy;

/// <summary>The example every workspace starts with, on cases an agent would really send.</summary>
public sealed class BuiltInPolicyTests
{
    private static readonly CompiledPolicy Policy = Compile(BuiltInPolicy.Yaml, version: 1);

    [Fact]
    public void Compile_BuiltInPolicy_HasTheDocumentedRules()
    {
        Assert.Equal(["medical-legal", "high-value", "returning-customer"], Policy.RuleIds);
        Assert.True(Policy.Rules[0].Pinned);
    }

    [Fact]
    public void Compile_BuiltInPolicy_StillCompilesWithoutHandoffFields()
    {
        var compilation = PolicyCompiler.Compile(BuiltInPolicy.Yaml);

        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Problems));
        Assert.Equal(HandoffMode.Either, compilation.Policy!.Defaults.Mode);
        Assert.Null(compilation.Policy.Defaults.Sla);
        Assert.All(compilation.Policy.Rules, static rule => Assert.True(rule.Skills.Count == 0 && rule.Sla is null && rule.Mode is null));
    }

    [Fact]
    public void Evaluate_WhenConfidentRoutineReply_ReturnsAuto()
    {
        var evaluation = Policy.Evaluate(new CaseContent
        {
            Kind = CaseKind.Reply,
            Summary = "Customer asks where their parcel is",
            Channel = "email",
            Facts = Json("""{"orderId": "A-1001", "amount": 42.5, "topic": "shipping"}"""),
            Conversation = [new Message("customer", "Hi, where is my parcel? It has been a week.")],
            Proposal = new Proposal("It left our warehouse yesterday and arrives Friday.", null, 0.92),
        });

        Assert.Equal(Outcome.Auto, evaluation.Outcome);
        Assert.Empty(evaluation.Reasons);
        Assert.Equal("support", evaluation.Team);
        Assert.Equal(Priority.Normal, evaluation.Priority);
        Assert.Equal(1, evaluation.PolicyVersion);
    }

    [Fact]
    public void Evaluate_WhenConversationMentionsALawyer_EscalatesToSpecialistsWithHighPriority()
    {
        var evaluation = Policy.Evaluate(new CaseContent
        {
            Kind = CaseKind.Reply,
            Summary = "Refund dispute",
            Facts = Json("""{"amount": 80, "topic": "billing"}"""),
            Conversation = [new Message("customer", "If I don't get my money back my Lawyer will be in touch.")],
            Proposal = new Proposal("We have issued a refund.", null, 0.97),
        });

        Assert.Equal(Outcome.Escalate, evaluation.Outcome);
        Assert.Equal([new Reason("medical-legal", "Medical or legal questions always go to a person.", Outcome.Escalate)], evaluation.Reasons);
        Assert.Equal("specialists", evaluation.Team);
        Assert.Equal(Priority.High, evaluation.Priority);
    }

    [Fact]
    public void Evaluate_WhenMedicalTopicAndBigAmount_EscalatesWithBothReasons()
    {
        var evaluation = Policy.Evaluate(Case("""{"topic": "medical", "amount": 2500}""", confidence: 0.99));

        Assert.Equal(Outcome.Escalate, evaluation.Outcome);
        Assert.Equal(["medical-legal", "high-value"], evaluation.Reasons.Select(static reason => reason.Rule));
        Assert.Equal("specialists", evaluation.Team);
    }

    [Fact]
    public void Evaluate_WhenRefundActionAboveLimit_ReviewsInSales()
    {
        var evaluation = Policy.Evaluate(Case(
            """{"amount": 1200}""",
            kind: CaseKind.Action,
            confidence: 0.9,
            actionName: "issue_refund",
            arguments: """{"amount": 1200}"""));

        Assert.Equal(Outcome.Review, evaluation.Outcome);
        Assert.Equal("sales", evaluation.Team);
    }

    [Fact]
    public void Evaluate_WhenReturningCustomerAndUnsureProposal_UsesTheLowerFloor()
    {
        var returning = Policy.Evaluate(Case("{}", subject: """{"id": "c-9", "returning": true}""", confidence: 0.65));
        var newcomer = Policy.Evaluate(Case("{}", subject: """{"id": "c-10", "returning": false}""", confidence: 0.65));

        Assert.Equal(Outcome.Auto, returning.Outcome);
        Assert.Equal(Outcome.Review, newcomer.Outcome);
        Assert.Equal([new Reason("low-confidence", "Confidence 0.65 is below the floor 0.75.", Outcome.Review)], newcomer.Reasons);
    }

    [Fact]
    public void Evaluate_WhenWordOnlyContainsAKeyword_DoesNotEscalate() =>
        Assert.Equal(Outcome.Auto, Policy.Evaluate(Case(summary: "Prescriptions page is slow", confidence: 0.9)).Outcome);
}
