using Handoff.Client;
using Handoff.Samples.SupportAgent.Drafting;
using Handoff.Samples.SupportAgent.Shop;
using Microsoft.Extensions.Logging;

namespace Handoff.Samples.SupportAgent;

/// <summary>
/// The agent: for each customer message it drafts an answer (and maybe a tool call), asks Handoff whether it may go
/// ahead, waits for the person when one must look, and does exactly what was decided: the approved or edited
/// proposal, the option chosen, the person's own answer, or nothing but a polite holding message when rejected.
/// Thread safe: conversations are independent, and any number may wait on people at once.
/// </summary>
internal sealed partial class CustomerSupportAgent(HandoffClient handoff, IDrafter drafter, IShop shop, ILogger<CustomerSupportAgent> logger)
{
    internal const string HoldingMessage = "Thanks for your patience. A colleague is looking into this and will get back to you personally.";

    // Cases with a tool call or a handover get a deadline; past it, nobody decided, so a person follows up later
    // (escalate) rather than the agent guessing. Plain replies may wait as long as it takes.
    private static readonly TimeSpan ActionDeadline = TimeSpan.FromHours(8);

    public string DrafterName => drafter.Name;

    public async Task<AgentOutcome> HandleAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var draft = await drafter.DraftAsync(conversation, cancellationToken).ConfigureAwait(false);
        var submitted = await handoff.SubmitCaseAsync(ToRequest(conversation, draft), cancellationToken).ConfigureAwait(false);
        var policy = submitted.Case;
        LogSubmitted(logger, submitted.Id, policy.Summary ?? "", draft.Facts.Intent, draft.Proposal.Confidence ?? 0, policy.Outcome, policy.Team);
        return await FollowAsync(conversation, draft, policy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Picks up a case this agent submitted before it stopped: everything it needs to act is in the case (the
    /// conversation, the customer, the facts, the proposal), so a restart loses nothing.
    /// </summary>
    public async Task<AgentOutcome> ResumeAsync(string caseId, CancellationToken cancellationToken)
    {
        var stored = await handoff.GetCaseAsync(caseId, cancellationToken).ConfigureAwait(false);
        var conversation = Conversation.FromCase(stored);
        var draft = new Draft(stored.Kind, stored.Summary ?? "", CustomerFacts.FromJson(stored.Facts), stored.Proposal ?? new Proposal(), stored.Options);
        LogResumed(logger, caseId, stored.Summary ?? "", stored.Status);
        return await FollowAsync(conversation, draft, stored, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AgentOutcome> FollowAsync(Conversation conversation, Draft draft, HandoffCase policy, CancellationToken cancellationToken)
    {
        CaseDecision decided;
        try
        {
            // Checked against the proposal as drafted, so a decision about anything else is refused (fail closed). A
            // resumed case's proposal is read back from the server, so after a restart the check only proves the server
            // consistent with itself; an agent that must hold the server to account keeps its digests (SubmittedCase).
            decided = await handoff.WaitForDecisionAsync(policy.Id, draft.Proposal, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (CaseEscalatedException)
        {
            await shop.SendAsync(conversation, HoldingMessage, cancellationToken).ConfigureAwait(false);
            return new AgentOutcome(policy.Id, policy.Outcome, CaseStatus.Escalated, null, HoldingMessage, null);
        }

        var decision = decided.Decision;
        LogDecided(logger, policy.Id, decision.Verdict, decision.DecidedBy?.Name ?? "timeout");
        var (sent, ran) = decided.Status switch
        {
            CaseStatus.Approved => (Wording(conversation, draft, decision), decision.Result?.Action),
            CaseStatus.Responded => (decision.Text ?? decision.Result?.Text ?? HoldingMessage, null),
            _ => (HoldingMessage, (ToolCall?)null), // rejected or blocked: nothing is done; the reason is for us, not the customer
        };
        string? cannotRun = null;
        if (ran is not null && Playbook.MissingArgument(ran) is { } missing)
        {
            LogCannotRun(logger, policy.Id, ran.Name, missing);
            cannotRun = $"{ran.Name} needs '{missing}', which the approved call does not give.";
            (sent, ran) = (HoldingMessage, null);
        }

        if (ran is not null)
        {
            await shop.RunAsync(conversation, ran, cancellationToken).ConfigureAwait(false);
        }

        await shop.SendAsync(conversation, sent, cancellationToken).ConfigureAwait(false);
        if (decided.IsApproved)
        {
            await ReceiptAsync(decided, cannotRun, cancellationToken).ConfigureAwait(false);
        }

        return new AgentOutcome(policy.Id, policy.Outcome, decided.Status, decision, sent, ran);
    }

    /// <summary>
    /// Tells Handoff what became of the approved result (the case's receipt): carried out, or not and why. The reply
    /// the customer got may be worded anew for an edited call; what ran is the approved result. A receipt that cannot
    /// be sent is logged: the customer has been answered either way.
    /// </summary>
    private async Task ReceiptAsync(CaseDecision decided, string? cannotRun, CancellationToken cancellationToken)
    {
        try
        {
            _ = cannotRun is null
                ? await handoff.ReportExecutedAsync(decided, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await handoff.ReportFailedAsync(decided.CaseId, cannotRun, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HandoffException or HttpRequestException or TimeoutException)
        {
            LogReceiptFailed(logger, decided.CaseId, e.Message);
        }
    }

    /// <summary>
    /// What to tell the customer about an approved result. A person who edited only the tool call (a smaller
    /// refund, another order) left the draft's words behind, which still name the old values: the agent words the
    /// message again for what will actually be done. A person's own words are sent as they are.
    /// </summary>
    private static string Wording(Conversation conversation, Draft draft, Decision decision)
    {
        var result = decision.Result;
        if (decision.Verdict == Verdict.Edit && result?.Action is { } action && result.Text == draft.Proposal.Text
            && Playbook.Reword(conversation, draft.Facts, action) is { } reworded)
        {
            return reworded;
        }

        return result?.Text ?? "Done.";
    }

    /// <summary>The case the agent submits for <paramref name="draft"/>.</summary>
    internal static CaseRequest ToRequest(Conversation conversation, Draft draft) => new()
    {
        Kind = draft.Kind,
        Summary = draft.Summary,
        Channel = conversation.Channel,
        Subject = new()
        {
            ["id"] = conversation.Customer.Id,
            ["name"] = conversation.Customer.Name,
            ["returning"] = conversation.Customer.Returning,
            ["tier"] = conversation.Customer.Tier,
        },
        Facts = draft.Facts.ToJson(),
        Conversation = [.. conversation.Turns.Select(turn => new Message(turn.Role, turn.Text))],
        Proposal = draft.Proposal,
        Options = draft.Options,
        ExpiresIn = draft.Kind == CaseKind.Reply ? null : ActionDeadline,
        OnTimeout = draft.Kind == CaseKind.Reply ? null : TimeoutEffect.Escalate,

        // The same conversation at the same turn is the same case, even when this agent restarts and asks again.
        IdempotencyKey = $"{conversation.Id}:{conversation.Turns.Count}",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "{CaseId} {Summary}: {Intent} at {Confidence:0.00} → {Outcome} (team {Team})")]
    private static partial void LogSubmitted(ILogger logger, string caseId, string summary, string intent, double confidence, PolicyOutcome outcome, string? team);

    [LoggerMessage(Level = LogLevel.Information, Message = "{CaseId} {Summary}: waiting again ({Status}) after a restart")]
    private static partial void LogResumed(ILogger logger, string caseId, string summary, CaseStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{CaseId}: approved, but {Tool} cannot run without {Argument}; the customer is told a colleague will follow up")]
    private static partial void LogCannotRun(ILogger logger, string caseId, string tool, string argument);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Support agent: could not send the receipt of case {CaseId}: {Error}")]
    private static partial void LogReceiptFailed(ILogger logger, string caseId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{CaseId} decided: {Verdict} by {DecidedBy}")]
    private static partial void LogDecided(ILogger logger, string caseId, Verdict verdict, string decidedBy);
}
