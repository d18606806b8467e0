using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Core.Policy;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Storage.Tests;

/// <summary>
/// The contract every <see cref="IHandoffStore"/> backend must meet. A backend's test class derives from this and
/// supplies fresh, migrated, isolated stores; a backend that must deviate overrides the test and says why.
/// </summary>
public abstract partial class StoreConformanceTests
{
    protected static readonly DateTimeOffset Start = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);

    protected static readonly Actor Agent = new("key", "key_agent", "support-bot");
    protected static readonly Actor Alice = new("key", "key_alice", "Alice");
    protected static readonly Actor Bob = new("key", "key_bob", "Bob");

    /// <summary>The clock every store made by <see cref="CreateStoreAsync"/> must use.</summary>
    protected FakeTimeProvider Time { get; } = new(Start);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new, migrated store that shares no data with any other test's store and uses <see cref="Time"/>.</summary>
    protected abstract Task<IHandoffStore> CreateStoreAsync();

    protected async Task<(IHandoffStore Store, Workspace Workspace)> CreateStoreWithWorkspaceAsync(string name = "acme")
    {
        var store = await CreateStoreAsync();
        return (store, await store.EnsureWorkspaceAsync(name, Actor.Cli("ops"), Ct));
    }

    /// <summary>A case with every field set (except signals, left undefined), as the server would submit it.</summary>
    protected HandoffCase NewCase(
        string workspaceId,
        string? idempotencyKey = null,
        CaseStatus status = CaseStatus.Pending,
        string team = "support",
        DateTimeOffset? expiresAt = null,
        TimeoutEffect onTimeout = TimeoutEffect.Reject)
    {
        var now = Time.GetUtcNow();
        return new HandoffCase
        {
            Id = $"case_{Guid.NewGuid():N}",
            WorkspaceId = workspaceId,
            Content = new CaseContent
            {
                Kind = CaseKind.Action,
                Summary = "Refund order 1042",
                Channel = "chat",
                Subject = Json("""{"id":"cus_9","name":"Ada Ł.","returning":true,"tier":"gold"}"""),
                Facts = Json("""{"amount":1250.5,"topic":"refund","tags":["late",null,3]}"""),
                Conversation =
                [
                    new Message("customer", "I want my money back.", now.AddMinutes(-2).ToOffset(TimeSpan.FromHours(2))),
                    new Message("assistant", "Let me check that for you."),
                ],
                Proposal = new Proposal("I have refunded 1,250.50.", new ToolCall("refund", Json("""{"orderId":"1042","amount":1250.5}""")), 0.62),
                Options = [new Proposal("Offer a voucher instead.", null, 0.3), new Proposal(null, new ToolCall("escalate", default), null)],
            },
            Evaluation = new Evaluation(Outcome.Review, [new Reason("big-refund", "Refunds above 1,000 need review"), new Reason("low-confidence", "Confidence 0.62 < 0.8")], team, Priority.High, 0.8, 3),
            Status = status,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            OnTimeout = onTimeout,
            IdempotencyKey = idempotencyKey,
            SubmittedBy = Agent,
            UpdatedAt = now,
        };
    }

    protected static Decision DecisionBy(Actor? actor, DateTimeOffset at, Verdict verdict = Verdict.Approve) => new()
    {
        Verdict = verdict,
        Result = verdict == Verdict.Approve ? new Proposal("I have refunded 1,250.50.", null, 0.62) : null,
        Note = "Checked the order.",
        ProposalDigest = new string('a', 64),
        DecidedBy = actor,
        DecidedAt = at,
    };

    protected async Task<HandoffCase> CreateAsync(IHandoffStore store, HandoffCase newCase)
    {
        var result = await store.CreateCaseAsync(newCase, Ct);
        Assert.True(result.Created);
        return result.Case;
    }

    /// <summary>Cases hold JsonElements, which compare by reference; their JSON says whether two cases are the same.</summary>
    protected static void AssertSameCase(HandoffCase expected, HandoffCase? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(JsonSerializer.Serialize(expected, HandoffJson.Options), JsonSerializer.Serialize(actual, HandoffJson.Options));
    }

    private static JsonElement Json(string json) => JsonElement.Parse(json);
}
