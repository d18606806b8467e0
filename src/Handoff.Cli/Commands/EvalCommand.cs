using System.CommandLine;
using System.Globalization;
using Handoff.Eval;

namespace Handoff.Cli.Commands;

/// <summary>
/// <c>handoff eval</c>: the learned gate measured on a labelled data set, through a real server.
/// <c>eval prepare clinc150|bitext</c> turns a public data set into the harness's JSON lines;
/// <c>eval run</c> streams them (see <see cref="EvalRunner"/>) and reports over time and at the end.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var command = new Command("eval", "Measure the learned gate on a labelled data set: an intent-classifier agent, an oracle reviewer, a real server.");
        command.Subcommands.Add(Prepare());
        command.Subcommands.Add(Run());
        return command;
    }

    private static Command Prepare()
    {
        var name = new Argument<string>("dataset") { Description = "clinc150 or bitext" };
        var source = new Option<DirectoryInfo>("--source") { Description = "The folder that holds the data set (for example ../shared/datasets/clinc150).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The JSON lines file to write.", Required = true };
        var prepare = new Command("prepare", "Turn a public data set into the harness's JSON lines ({text, label, split}).") { name, source, output };
        prepare.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(source)!.FullName;
            List<EvalExample> examples;
            switch (parse.GetValue(name))
            {
                case "clinc150":
                    examples = EvalData.Clinc150(directory);
                    break;
                case "bitext":
                    examples = EvalData.BitextIn(directory);
                    break;
                default:
                    await Console.Error.WriteLineAsync($"dataset: '{parse.GetValue(name)}' is neither clinc150 nor bitext").ConfigureAwait(false);
                    return 2;
            }

            EvalData.Write(parse.GetValue(output)!.FullName, examples);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{examples.Count(static e => e.IsTrain):N0} train and {examples.Count(static e => e.IsTest):N0} test examples, {examples.Select(static e => e.Label).Distinct().Count()} labels → {parse.GetValue(output)!.FullName}"));
            return 0;
        });
        return prepare;
    }

    private static Command Run()
    {
        var data = new Option<FileInfo>("--data") { Description = "JSON lines: {\"text\", \"label\", \"split\": \"train\"|\"test\"}.", Required = true };
        var must = new Option<FileInfo?>("--must-escalate") { Description = "Labels a person must always handle, one per line." };
        var maxError = new Option<double>("--max-error") { Description = "The policy's maxError.", DefaultValueFactory = _ => 0.02 };
        var confidence = new Option<double>("--confidence") { Description = "The policy's confidence.", DefaultValueFactory = _ => 0.95 };
        var minDecisions = new Option<int>("--min-decisions") { Description = "The policy's minDecisions.", DefaultValueFactory = _ => 500 };
        var qa = new Option<double>("--qa-sample") { Description = "The policy's qaSample.", DefaultValueFactory = _ => 0.1 };
        var retrain = new Option<int>("--retrain-every") { Description = "Retrain the gate after this many people's decisions.", DefaultValueFactory = _ => 500 };
        var every = new Option<int>("--report-every") { Description = "A report point every this many cases.", DefaultValueFactory = _ => 500 };
        var runs = new Option<int>("--runs") { Description = "Shuffled runs, each through a fresh server.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "The first run's shuffle; run i uses seed + i.", DefaultValueFactory = _ => 1 };
        var limit = new Option<int?>("--limit") { Description = "Stream only this many test cases per run." };
        var trainLimit = new Option<int?>("--train-limit") { Description = "Train the agent on only this many train examples." };
        var json = new Option<FileInfo?>("--json") { Description = "Write the full report here." };
        var chart = new Option<FileInfo?>("--chart") { Description = "Write a PNG chart of the first run here." };
        var agent = new Option<EvalAgent>("--agent")
        {
            Description = "What the agent's classifier reads: embeddings (all-MiniLM-L6-v2 sentence embeddings) or text (word and character n-grams).",
            DefaultValueFactory = _ => EvalAgent.Embeddings,
        };
        var run = new Command("run", "Stream the test split through a real server and report.")
        {
            data, must, maxError, confidence, minDecisions, qa, retrain, every, runs, seed, limit, trainLimit, json, chart, agent,
        };
        run.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new EvalSettings(
                parse.GetValue(maxError), parse.GetValue(confidence), parse.GetValue(minDecisions), parse.GetValue(qa), parse.GetValue(retrain),
                parse.GetValue(every), parse.GetValue(runs), parse.GetValue(seed), parse.GetValue(limit), parse.GetValue(trainLimit), parse.GetValue(agent));
            if (Invalid(settings) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }

            var examples = EvalData.Read(parse.GetValue(data)!.FullName);
            var mustEscalate = parse.GetValue(must) is { } file ? EvalData.ReadLabels(file.FullName) : [];
            var report = await EvalRunner.RunAsync(parse.GetValue(data)!.Name, examples, mustEscalate, settings, new ConsoleProgress(), cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine();
            Console.WriteLine(EvalOutput.Table(report));
            if (parse.GetValue(json) is { } jsonFile)
            {
                EvalOutput.WriteJson(report, jsonFile.FullName);
            }

            if (parse.GetValue(chart) is { } chartFile)
            {
                EvalOutput.WriteChart(report, chartFile.FullName);
            }

            return 0;
        });
        return run;
    }

    private static string? Invalid(EvalSettings s) =>
        s.MaxError is <= 0 or >= 0.5 ? "--max-error: must be above 0 and below 0.5"
        : s.Confidence is <= 0.5 or >= 1 ? "--confidence: must be above 0.5 and below 1"
        : s.MinDecisions < 10 ? "--min-decisions: at least 10"
        : s.QaSample is <= 0 or > 1 ? "--qa-sample: above 0, at most 1"
        : s.RetrainEvery < 1 ? "--retrain-every: at least 1"
        : s.ReportEvery < 1 ? "--report-every: at least 1"
        : s.Runs is < 1 or > 100 ? "--runs: from 1 to 100"
        : s.Limit is < 1 ? "--limit: at least 1"
        : s.TrainLimit is < 1 ? "--train-limit: at least 1"
        : null;

    /// <summary>A progress bar on standard error: redrawn in place on a terminal, a line every report point otherwise.</summary>
    private sealed class ConsoleProgress : IProgress<EvalProgress>
    {
        private int _lastReported = -1;

        public void Report(EvalProgress value)
        {
            if (value.Total == 0 || value.Done == 0)
            {
                Console.Error.WriteLine($"{value.Stage}…");
                return;
            }

            var latest = value.Latest is { } p
                ? string.Create(CultureInfo.InvariantCulture, $" · automated {p.Gate.AutomatedShare:P1}, silent error {p.Gate.SilentError:P2}")
                : "";
            var width = 30;
            var filled = value.Done * width / value.Total;
            var line = string.Create(CultureInfo.InvariantCulture, $"{value.Stage} [{new string('#', filled)}{new string('.', width - filled)}] {value.Done}/{value.Total}{latest}");
            if (!Console.IsErrorRedirected)
            {
                Console.Error.Write($"\r{line}");
            }
            else if (value.Latest is { } point && point.Cases != _lastReported)
            {
                _lastReported = point.Cases;
                Console.Error.WriteLine(line);
            }
        }
    }
}
