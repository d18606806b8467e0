using System.Text.Json;
using System.Text.Json.Serialization;

namespace Handoff.Core.Cases;

/// <summary>
/// What an agent submits: the matter, the customer, the facts the policy reads and the AI's proposal.
/// <see cref="Subject"/>, <see cref="Facts"/> and <see cref="Signals"/> are JSON objects, or undefined
/// (<c>default</c>) when absent.
/// </summary>
public sealed record CaseContent
{
    public required CaseKind Kind { get; init; }
    public string? Summary { get; init; }
    public string? Channel { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Subject { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Facts { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Signals { get; init; }
    public IReadOnlyList<Message> Conversation { get; init; } = [];
    public Proposal? Proposal { get; init; }
    public IReadOnlyList<Proposal> Options { get; init; } = [];
}
