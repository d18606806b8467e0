using System.Globalization;
using System.Text;
using Handoff.Core.Learning;

namespace Handoff.Cli.Commands;

/// <summary>A replay report as people read it in a terminal.</summary>
internal static class ReplaySummary
{
    public static string Format(ReplayReport report, string period)
    {
        var text = new StringBuilder();
        Line(text, $"Replayed {report.Cases:N0} cases of the last {period}: {report.Changed:N0} would change.");
        if (report.Changes.Count > 0)
        {
            Line(text, "");
            Line(text, "Outcome changes:");
            foreach (var change in report.Changes)
            {
                Line(text, $"  {Name(change.Before),-9} -> {Name(change.After),-9} {change.Cases,8:N0}");
            }
        }

        if (report.Workload.Count > 0)
        {
            Line(text, "");
            Line(text, "Cases for a person, by team (now -> candidate):");
            foreach (var team in report.Workload)
            {
                Line(text, $"  {team.Team,-20} {team.Before,8:N0} -> {team.After,8:N0}  ({Delta(team.After - team.Before)})");
            }
        }

        Line(text, "");
        Line(text, $"Newly automated: {report.NewlyAutomated:N0}, of which {report.NewlyAutomatedDecided:N0} were decided by a person.");
        if (report.NewlyAutomatedDecided > 0)
        {
            var share = (double)report.LetThrough / report.NewlyAutomatedDecided;
            Line(text, $"Errors it would let through: {report.LetThrough:N0} of {report.NewlyAutomatedDecided:N0} ({share:P1}; 95 % interval {report.ErrorRate.Lower:P1} to {report.ErrorRate.Upper:P1}): people did not approve these as proposed.");
        }

        foreach (var error in report.Errors)
        {
            Line(text, $"  {error.CaseId}  {error.Verdict?.ToString().ToLowerInvariant(),-8} {error.Summary}");
        }

        if (report.NewlyHeld > 0)
        {
            Line(text, $"Newly held for a person or blocked: {report.NewlyHeld:N0}.");
        }

        return text.ToString().TrimEnd();
    }

    private static string Name(Enum value) => value.ToString().ToLowerInvariant();

    private static string Delta(int n) => n switch
    {
        > 0 => string.Create(CultureInfo.InvariantCulture, $"+{n:N0}"),
        _ => n.ToString("N0", CultureInfo.InvariantCulture),
    };

    private static void Line(StringBuilder text, FormattableString line) => text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
