using System.Globalization;
using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Core.Policy;

/// <summary>
/// A field such as <c>facts.order.total</c>, split once at compile time. JSON property names are matched
/// ordinally (case-sensitively); a segment that is a non-negative integer also indexes into an array.
/// </summary>
internal sealed class FieldPath
{
    public const string KnownRoots = "kind, summary, channel, text, facts, subject, signals, proposal";

    private static readonly string[] KindNames = BuildKindNames();

    private readonly string[] _segments;
    private readonly int[] _indexes;

    private FieldPath(string text, FieldRoot root, string[] segments)
    {
        Text = text;
        Root = root;
        _segments = segments;
        _indexes = Array.ConvertAll(segments, static segment =>
            int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1);
    }

    public string Text { get; }

    public FieldRoot Root { get; }

    /// <summary>Parses a path, or explains what is wrong with it.</summary>
    public static FieldPath? TryParse(string text, out string? error)
    {
        var parts = text.Split('.');
        if (Array.Exists(parts, static part => part.Length == 0))
        {
            error = $"field '{text}' has an empty segment";
            return null;
        }

        var rest = parts[1..];
        FieldRoot? root = parts[0] switch
        {
            "kind" => FieldRoot.Kind,
            "summary" => FieldRoot.Summary,
            "channel" => FieldRoot.Channel,
            "text" => FieldRoot.Text,
            "facts" => FieldRoot.Facts,
            "subject" => FieldRoot.Subject,
            "signals" => FieldRoot.Signals,
            "proposal" => ProposalRoot(rest, out rest),
            _ => null,
        };

        if (root is null)
        {
            error = parts[0] == "proposal"
                ? $"unknown field '{text}' (proposal fields: proposal.confidence, proposal.text, proposal.action.name, proposal.action.arguments.*)"
                : $"unknown field '{text}' (a field starts with one of: {KnownRoots})";
            return null;
        }

        if (rest.Length > 0 && root is not (FieldRoot.Facts or FieldRoot.Subject or FieldRoot.Signals or FieldRoot.ProposalActionArguments))
        {
            error = $"field '{string.Join('.', parts[..(parts.Length - rest.Length)])}' has no sub-fields, so '{text}' cannot match anything";
            return null;
        }

        error = null;
        return new FieldPath(text, root.Value, rest);
    }

    public FieldValue Resolve(EvalContext context)
    {
        var content = context.Content;
        return Root switch
        {
            FieldRoot.Kind => FieldValue.Of(KindName(content.Kind)),
            FieldRoot.Summary => FieldValue.Of(content.Summary),
            FieldRoot.Channel => FieldValue.Of(content.Channel),
            FieldRoot.Text => FieldValue.Of(context.Text),
            FieldRoot.Facts => Navigate(content.Facts),
            FieldRoot.Subject => Navigate(content.Subject),
            FieldRoot.Signals => Navigate(content.Signals),
            FieldRoot.Proposal => content.Proposal is null ? FieldValue.Missing : FieldValue.Present(),
            FieldRoot.ProposalConfidence => FieldValue.Of(content.Proposal?.Confidence),
            FieldRoot.ProposalText => FieldValue.Of(content.Proposal?.Text),
            FieldRoot.ProposalAction => content.Proposal?.Action is null ? FieldValue.Missing : FieldValue.Present(),
            FieldRoot.ProposalActionName => FieldValue.Of(content.Proposal?.Action?.Name),
            FieldRoot.ProposalActionArguments => content.Proposal?.Action is { } action ? Navigate(action.Arguments) : FieldValue.Missing,
            _ => FieldValue.Missing,
        };
    }

    private FieldValue Navigate(JsonElement element)
    {
        for (var i = 0; i < _segments.Length; i++)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(_segments[i], out var property))
            {
                element = property;
            }
            else if (element.ValueKind == JsonValueKind.Array && _indexes[i] >= 0 && _indexes[i] < element.GetArrayLength())
            {
                element = element[_indexes[i]];
            }
            else
            {
                return FieldValue.Missing;
            }
        }

        return FieldValue.Of(element);
    }

    private static FieldRoot? ProposalRoot(string[] rest, out string[] remaining)
    {
        remaining = [];
        switch (rest)
        {
            case []:
                return FieldRoot.Proposal;
            case ["confidence"]:
                return FieldRoot.ProposalConfidence;
            case ["text"]:
                return FieldRoot.ProposalText;
            case ["action"]:
                return FieldRoot.ProposalAction;
            case ["action", "name"]:
                return FieldRoot.ProposalActionName;
            case ["action", "arguments", ..]:
                remaining = rest[2..];
                return FieldRoot.ProposalActionArguments;
            default:
                return null;
        }
    }

    private static string KindName(CaseKind kind) =>
        (uint)kind < (uint)KindNames.Length ? KindNames[(int)kind] : JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    private static string[] BuildKindNames()
    {
        var kinds = Enum.GetValues<CaseKind>();
        var names = new string[kinds.Max(static kind => (int)kind) + 1];
        foreach (var kind in kinds)
        {
            names[(int)kind] = JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());
        }

        return names;
    }
}
