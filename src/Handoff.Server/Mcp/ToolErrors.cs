using Handoff.Server.Api;

namespace Handoff.Server.Mcp;

/// <summary>
/// The problems with a tool call, each under the name of the tool argument it concerns. The API's validator names
/// the fields of a case (<c>proposal.confidence</c>); <paramref name="apiNames"/> maps those to the tool's own
/// (<c>confidence</c>), longest prefix first. A field the tool flagged itself keeps only the tool's message.
/// </summary>
internal sealed class ToolErrors(IReadOnlyDictionary<string, string>? apiNames = null)
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }

        list.Add(message);
    }

    public void AddAll(IReadOnlyDictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                Add(field, message);
            }
        }
    }

    /// <summary>Adds the API validator's problems under the tool's names, except for fields already flagged.</summary>
    public void AddValidation(ValidationErrors validation)
    {
        var flagged = _errors.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (field, messages) in validation.ToDictionary())
        {
            var name = ToolName(field);
            if (flagged.Contains(name))
            {
                continue;
            }

            foreach (var message in messages)
            {
                Add(name, message);
            }
        }
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    private string ToolName(string field)
    {
        if (apiNames is null)
        {
            return field;
        }

        foreach (var (api, tool) in apiNames.OrderByDescending(n => n.Key.Length))
        {
            if (field == api)
            {
                return tool;
            }

            if (field.StartsWith(api, StringComparison.Ordinal) && field[api.Length] is '.' or '[')
            {
                return tool + field[api.Length..];
            }
        }

        return field;
    }
}
