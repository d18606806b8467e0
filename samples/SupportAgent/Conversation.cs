namespace Handoff.Samples.SupportAgent;

/// <summary>A customer's conversation with the shop's support agent, ending with the customer's turn to answer.</summary>
/// <param name="Id">Stable per conversation: the agent's cases use it in their idempotency keys.</param>
/// <param name="Channel"><c>chat</c>, <c>email</c> or <c>voice</c>.</param>
public sealed record Conversation(string Id, string Channel, Customer Customer, IReadOnlyList<Turn> Turns)
{
    /// <summary>Everything the customer said, oldest first.</summary>
    public IEnumerable<string> CustomerTexts => Turns.Where(t => t.Role == Turn.CustomerRole).Select(t => t.Text);

    /// <summary>What the agent must answer now.</summary>
    public string LastCustomerText => CustomerTexts.LastOrDefault() ?? "";

    /// <summary>The conversation as a case the agent submitted carries it: its subject and its turns.</summary>
    internal static Conversation FromCase(Handoff.Client.HandoffCase stored)
    {
        var subject = stored.Subject;
        var customer = new Customer(
            (string?)subject?["id"] ?? "unknown",
            (string?)subject?["name"] ?? "there",
            subject?["returning"] is { } returning && returning.GetValueKind() == System.Text.Json.JsonValueKind.True,
            (string?)subject?["tier"]);
        return new Conversation(stored.Id, stored.Channel ?? "chat", customer, [.. stored.Conversation.Select(m => new Turn(m.Role, m.Text))]);
    }
}
