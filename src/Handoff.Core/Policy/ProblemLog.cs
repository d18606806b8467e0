using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Handoff.Core.Policy;

/// <summary>Collects every problem in a document, so an author fixes them all in one pass.</summary>
internal sealed class ProblemLog
{
    private readonly List<PolicyProblem> _problems = [];

    public int Count => _problems.Count;

    public IReadOnlyList<PolicyProblem> Problems => _problems;

    // YamlDotNet's marks are already 1-based, which is what editors and PolicyProblem use.
    public void Report(Mark at, string message) => _problems.Add(new PolicyProblem((int)at.Line, (int)at.Column, message));

    public void Report(YamlNode node, string message) => Report(node.Start, message);
}
