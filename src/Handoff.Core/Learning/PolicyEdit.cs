using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Handoff.Core.Learning;

/// <summary>
/// Applies a <see cref="Recommendation"/> to a policy's YAML by changing the one value it concerns in place, so the
/// rest of the text — comments, order, spacing — stays as the admin wrote it. The result goes through the normal
/// publish path (compiled, audited) like any other version.
/// </summary>
public static class PolicyEdit
{
    /// <summary>The edited source, or null when the source does not have what the recommendation changes (it was edited since).</summary>
    public static string? Apply(string source, Recommendation recommendation)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(recommendation);
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(source));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return null;
            }

            root = mapping;
        }
        catch (YamlException)
        {
            return null;
        }

        return recommendation.Kind switch
        {
            RecommendationKind.RunAuto => RunAuto(source, root, recommendation.Rule!),
            RecommendationKind.LowerFloor => SetFloor(source, root, recommendation.Floor!.Value),
            _ => null,
        };
    }

    private static string? RunAuto(string source, YamlMappingNode root, string ruleId)
    {
        if (Child(root, "rules") is not YamlSequenceNode rules)
        {
            return null;
        }

        foreach (var rule in rules.Children.OfType<YamlMappingNode>())
        {
            if (Child(rule, "id") is YamlScalarNode { Value: var id } && id == ruleId && Child(rule, "outcome") is YamlScalarNode outcome)
            {
                return Replace(source, outcome, "auto");
            }
        }

        return null;
    }

    private static string? SetFloor(string source, YamlMappingNode root, double floor)
    {
        var value = floor.ToString("0.##", CultureInfo.InvariantCulture);
        if (Child(root, "defaults") is not YamlMappingNode defaults)
        {
            // Before the first key, where the root mapping starts (after any "---" or directives).
            return root.Style == YamlDotNet.Core.Events.MappingStyle.Flow || root.Children.Count == 0 || root.Start.Column != 1
                ? null
                : source.Insert((int)root.Start.Index, $"defaults:\n  confidenceFloor: {value}\n");
        }

        if (Child(defaults, "confidenceFloor") is YamlScalarNode current)
        {
            return Replace(source, current, value);
        }

        // A defaults section without a floor: one more key, indented as its first.
        if (defaults.Children.Count == 0 || defaults.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
        {
            return null;
        }

        var first = defaults.Children.First().Key;
        var lineStart = (int)first.Start.Index - ((int)first.Start.Column - 1);
        return source.Insert(lineStart, $"{new string(' ', (int)first.Start.Column - 1)}confidenceFloor: {value}\n");
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: var k } && k == key).Value;

    private static string Replace(string source, YamlScalarNode node, string value) =>
        string.Concat(source.AsSpan(0, (int)node.Start.Index), value, source.AsSpan((int)node.End.Index));
}
