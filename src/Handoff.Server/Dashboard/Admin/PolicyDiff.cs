using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Handoff.Server.Dashboard.Admin;

/// <summary>A line diff between two policy versions, for the policy page's history.</summary>
internal static class PolicyDiff
{
    public enum Change
    {
        Same,
        Added,
        Removed,
    }

    public sealed record Line(Change Change, string Text);

    public static IReadOnlyList<Line> Between(string older, string newer)
    {
        // Whitespace is kept: in YAML indentation is meaning.
        var model = InlineDiffBuilder.Diff(older, newer, ignoreWhiteSpace: false);
        return [.. model.Lines
            .Where(piece => piece.Type != ChangeType.Imaginary)
            .Select(piece => new Line(
                piece.Type switch
                {
                    ChangeType.Inserted => Change.Added,
                    ChangeType.Deleted => Change.Removed,
                    _ => Change.Same,
                },
                piece.Text ?? ""))];
    }
}
