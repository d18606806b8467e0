using System.Text.Json.Nodes;

namespace Handoff.Samples.SupportAgent.Drafting;

/// <summary>What the agent knows about a request, sent to Handoff as the case's <c>facts</c>: the policy's rules read them.</summary>
/// <param name="Intent">What the customer wants (one of the 27 intents, or <c>unknown</c>).</param>
/// <param name="Topic">The intent's topic, or <c>medical</c> / <c>legal</c> when the customer's words make it one.</param>
/// <param name="Amount">The largest sum of money the customer named, if any.</param>
/// <param name="Currency">ISO code of <paramref name="Amount"/>'s currency, when it was given.</param>
/// <param name="OrderId">An order number the customer gave, as written (without <c>#</c>).</param>
/// <param name="AsksForPerson">The customer asked for a human.</param>
internal sealed record CustomerFacts(string Intent, string Topic, decimal? Amount, string? Currency, string? OrderId, bool AsksForPerson)
{
    /// <summary>The customer named more than one sum: <see cref="Amount"/> is the largest, not necessarily the one they want.</summary>
    public bool SeveralAmounts { get; init; }

    public JsonObject ToJson()
    {
        var facts = new JsonObject { ["intent"] = Intent, ["topic"] = Topic, ["asksForPerson"] = AsksForPerson };
        if (SeveralAmounts)
        {
            facts["severalAmounts"] = true;
        }

        if (Amount is { } amount)
        {
            facts["amount"] = amount;
        }

        if (Currency is not null)
        {
            facts["currency"] = Currency;
        }

        if (OrderId is not null)
        {
            facts["orderId"] = OrderId;
        }

        return facts;
    }

    /// <summary>The facts back from a case's <c>facts</c> (what <see cref="ToJson"/> wrote; anything missing is unknown).</summary>
    public static CustomerFacts FromJson(JsonObject? facts) => new(
        (string?)facts?["intent"] ?? "unknown",
        (string?)facts?["topic"] ?? "other",
        facts?["amount"] is JsonValue amount && amount.TryGetValue<decimal>(out var value) ? value : null,
        (string?)facts?["currency"],
        (string?)facts?["orderId"],
        facts?["asksForPerson"] is JsonValue asks && asks.TryGetValue<bool>(out var yes) && yes)
    {
        SeveralAmounts = facts?["severalAmounts"] is JsonValue several && several.TryGetValue<bool>(out var more) && more,
    };
}
