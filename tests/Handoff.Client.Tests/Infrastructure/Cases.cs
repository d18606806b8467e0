using System.Text.Json.Nodes;

namespace Handoff.Client.Tests.Infrastructure;

/// <summary>Case requests the tests share.</summary>
internal static class Cases
{
    /// <summary>Under the built-in policy: high-value fires, so a person must review it.</summary>
    public static CaseRequest Refund(TimeSpan? expiresIn = null, TimeoutEffect? onTimeout = null) => new()
    {
        Kind = CaseKind.Action,
        Summary = "Refund a damaged kettle",
        Channel = "chat",
        Subject = new JsonObject { ["id"] = "cus_2040", ["name"] = "Tom Becker", ["returning"] = false },
        Facts = new JsonObject { ["topic"] = "refund", ["amount"] = 1450, ["currency"] = "EUR" },
        Conversation = [new Message("customer", "The kettle arrived cracked. I want my money back.")],
        Proposal = RefundProposal(),
        Options =
        [
            new Proposal
            {
                Text = "We will send a replacement at no cost.",
                Action = new ToolCall("ship_replacement", new JsonObject { ["orderId"] = "B-11872" }),
                Confidence = 0.7,
            },
        ],
        ExpiresIn = expiresIn,
        OnTimeout = onTimeout,
    };

    /// <summary>The proposal of docs/api.md's example, whose digest the docs give.</summary>
    public static Proposal RefundProposal() => new()
    {
        Text = "I have issued a full refund of 1450 EUR.",
        Action = new ToolCall("issue_refund", new JsonObject { ["orderId"] = "B-11872", ["amount"] = 1450 }),
        Confidence = 0.88,
    };

    /// <summary>Under the built-in policy: no rule fires and 0.9 clears the floor, so the policy approves it at once.</summary>
    public static CaseRequest OpeningHours() => new()
    {
        Kind = CaseKind.Reply,
        Summary = "Opening hours",
        Conversation = [new Message("customer", "When are you open?")],
        Proposal = new Proposal { Text = "We open at 9.", Confidence = 0.97 },
    };

    /// <summary>The digest docs/api.md gives for <see cref="RefundProposal"/>.</summary>
    public const string RefundProposalDigest = "d71e16b8fc56a124cfef0e495485d43bdcb0b4a9ceea840c8a74495c8454a163";
}
