using System.Text.Json;

namespace Handoff.Core.Cases;

/// <summary>
/// What a person asks for: <see cref="Text"/> is the edited text (edit), the reason (reject) or the answer (respond);
/// <see cref="Arguments"/> the edited tool arguments (edit); <see cref="Option"/> the 0-based index of the chosen
/// alternative (choose); <see cref="Note"/> is free and stays with the decision.
/// </summary>
public sealed record DecisionRequest(Verdict Verdict, string? Text = null, JsonElement Arguments = default, int? Option = null, string? Note = null);
