using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Handoff.Eval;

/// <summary>An evaluation's report as a console table, a JSON file and a PNG chart.</summary>
public static class EvalOutput
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The table of one run's report points, and a summary of all runs.</summary>
    public static string Table(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var s = report.Settings;
        text.AppendLine(Invariant($"{report.Data}: {report.TrainExamples:N0} train, {report.TestExamples:N0} test examples; maxError {s.MaxError:P1} at {s.Confidence:P0} confidence, minDecisions {s.MinDecisions}, qaSample {s.QaSample:0.###}, retrain every {s.RetrainEvery}"));
        var first = report.Runs[0];
        text.AppendLine(Invariant($"Run 1 (seed {first.Seed}); the agent's classifier ({(s.Agent == EvalAgent.Embeddings ? "sentence embeddings" : "n-grams")}) named the true label for {first.ClassifierAccuracy:P1} of the stream."));
        text.AppendLine("          learned gate, since the start                                    static floor, hindsight     gate, this window");
        text.AppendLine("  cases  automated  of automatable  silent error  bound     workload   at equal error  at maxError  of automatable  error");
        foreach (var p in first.Points)
        {
            var g = p.Gate;
            text.AppendLine(Invariant(
                $"  {p.Cases,5}  {g.AutomatedShare,9:P1}  {g.AutomatableShare,14:P1}  {g.SilentError,12:P2}  {g.SilentErrorUpper,8:P2}  {g.Workload,8:P1}   {p.Floor.Figures.AutomatableShare,14:P1}  {p.FloorAtMaxError.Figures.AutomatableShare,11:P1}  {p.Window?.AutomatableShare ?? 0,14:P1}  {p.Window?.SilentError ?? 0,5:P1}"));
        }

        text.AppendLine("  (automated: share of all traffic; of automatable: share of what people would approve unchanged; workload: people's decisions and QA checks per case)");

        text.AppendLine();
        text.AppendLine(Invariant($"Runs: {report.Runs.Count}; the measured silent error stayed within maxError in {report.Runs.Count(static r => r.BoundHeld)} ({report.BoundHeldShare:P0})."));
        foreach (var run in report.Runs)
        {
            var g = run.Final.Gate;
            text.AppendLine(Invariant(
                $"  seed {run.Seed,3}: gate automated {g.AutomatedShare:P1} of traffic, {g.AutomatableShare:P1} of the automatable, silent error {g.SilentError:P2} ({g.AutomatedErrors} of {g.Automated}, bound {g.SilentErrorUpper:P2}); floor at equal error {run.Final.Floor.Figures.AutomatableShare:P1} of the automatable; advantage {run.Advantage * 100:+0.0;-0.0} points"));
        }

        if (report.Runs.Count > 1)
        {
            var advantages = report.Runs.Select(static r => r.Advantage * 100).Order().ToArray();
            text.AppendLine(Invariant($"  advantage over the floor: median {advantages[advantages.Length / 2]:0.0} points, from {advantages[0]:0.0} to {advantages[^1]:0.0}"));
        }

        return text.ToString();
    }

    public static void WriteJson(EvalReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var file = File.Create(path);
        JsonSerializer.Serialize(file, report, Json);
    }

    /// <summary>A chart of the first run over time: the share of the automatable each automated, and the gate's silent error against maxError.</summary>
    public static void WriteChart(EvalReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        var run = report.Runs[0];
        double[] cases = [.. run.Points.Select(static p => (double)p.Cases)];
        var plot = new ScottPlot.Plot();
        var gate = plot.Add.Scatter(cases, [.. run.Points.Select(static p => p.Gate.AutomatableShare * 100)]);
        gate.LegendText = "learned gate: % of automatable automated";
        var floor = plot.Add.Scatter(cases, [.. run.Points.Select(static p => p.Floor.Figures.AutomatableShare * 100)]);
        floor.LegendText = "static floor at the gate's error (hindsight)";
        var atMax = plot.Add.Scatter(cases, [.. run.Points.Select(static p => p.FloorAtMaxError.Figures.AutomatableShare * 100)]);
        atMax.LegendText = "static floor at maxError (hindsight)";
        atMax.LinePattern = ScottPlot.LinePattern.Dotted;
        var error = plot.Add.Scatter(cases, [.. run.Points.Select(static p => p.Gate.SilentError * 100)]);
        error.LegendText = "gate's silent error %";
        var bound = plot.Add.HorizontalLine(report.Settings.MaxError * 100);
        bound.LegendText = "maxError %";
        bound.LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Title($"{report.Data}: learned gate vs static floor (seed {run.Seed})");
        plot.XLabel("cases");
        plot.YLabel("%");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 900, 500);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
