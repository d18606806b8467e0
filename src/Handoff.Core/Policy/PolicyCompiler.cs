using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Handoff.Core.Policy;

/// <summary>Turns policy YAML into a <see cref="CompiledPolicy"/>. See docs/policy.md for the format.</summary>
public static class PolicyCompiler
{
    /// <summary>
    /// Parses, validates and compiles <paramref name="yaml"/>. Never throws on bad input: every problem found
    /// comes back in <see cref="PolicyCompilation.Problems"/>, with its line and column, and then
    /// <see cref="PolicyCompilation.Policy"/> is null. An empty document is a valid policy with no rules.
    /// </summary>
    public static PolicyCompilation Compile(string yaml, int version = 0)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var problems = new ProblemLog();
        var stream = new YamlStream();
        var parser = new GuardedParser(new Parser(new StringReader(yaml)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            // The parser stops at the first syntax error, so this is the only problem we can report.
            problems.Report(ex.Start, parser.Refusal ?? $"invalid YAML: {ex.Message}");
            return new PolicyCompilation(null, problems.Problems);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // YamlDotNet throws InvalidOperationException or ArgumentException (instead of a YamlException) on some
            // malformed input, e.g. a stray '{' opening a block mapping; PolicyCompilerPropertyTests found both.
            // Loading is pure (text in, nodes out), so any failure here only means the text is not readable YAML,
            // and bad input from an administrator must not become a server error.
            problems.Report(parser.Position, $"invalid YAML: the parser could not continue after this point ({ex.Message})");
            return new PolicyCompilation(null, problems.Problems);
        }

        if (stream.Documents.Count > 1)
        {
            problems.Report(stream.Documents[1].RootNode, "a policy is a single YAML document, found another one here");
        }

        var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        var (defaults, rules, learning) = new PolicyParser(problems).ParseDocument(root);
        return problems.Count > 0
            ? new PolicyCompilation(null, [.. problems.Problems.OrderBy(static p => p.Line).ThenBy(static p => p.Column)])
            : new PolicyCompilation(new CompiledPolicy(version, yaml, defaults, rules, learning), []);
    }
}
