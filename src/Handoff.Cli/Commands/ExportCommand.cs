using System.CommandLine;
using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Cases;
using Handoff.Storage;

namespace Handoff.Cli.Commands;

/// <summary>
/// <c>handoff export decisions</c>: people's decisions as JSON lines, for fine-tuning and evaluation elsewhere — as
/// supervised pairs (the case, the AI's proposal, what went ahead, the verdict) or as preference pairs (the person's
/// output chosen over the AI's proposal).
/// </summary>
internal static class ExportCommand
{
    // Every field on every line, null when empty: a consumer reading pairs expects the same keys each time.
    private static readonly JsonSerializerOptions Line = new(HandoffJson.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };

    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "The output format: jsonl (one JSON object per line).", DefaultValueFactory = _ => "jsonl" };
        var pairs = new Option<string>("--pairs")
        {
            Description = "supervised: every decision, the proposal and what went ahead; preference: decisions where the person's output replaced the AI's (edit, choose, respond), as chosen/rejected.",
            DefaultValueFactory = _ => "supervised",
        };
        var since = new Option<string>("--since") { Description = "How far back: days or hours, such as 90d or 12h.", DefaultValueFactory = _ => "3650d" };
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of standard output." };
        var workspace = CommonOptions.Workspace();
        var data = CommonOptions.Data();
        var store = CommonOptions.Store();
        var decisions = new Command("decisions", "People's decisions as JSON lines: supervised pairs or preference pairs.") { format, pairs, since, output, workspace, data, store };
        decisions.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(format) is not "jsonl")
            {
                await Console.Error.WriteLineAsync($"--format: '{parse.GetValue(format)}' is not supported; use jsonl").ConfigureAwait(false);
                return 2;
            }

            var kind = parse.GetValue(pairs);
            if (kind is not ("supervised" or "preference"))
            {
                await Console.Error.WriteLineAsync($"--pairs: '{kind}' is neither supervised nor preference").ConfigureAwait(false);
                return 2;
            }

            if (Handoff.Server.Learning.LearningApi.Window(parse.GetValue(since)!) is not { } window)
            {
                await Console.Error.WriteLineAsync($"--since: '{parse.GetValue(since)}' is not a period such as 90d or 12h").ConfigureAwait(false);
                return 2;
            }

            using var opened = await CommonOptions.OpenStoreAsync(parse.GetValue(data)!, parse.GetValue(store), cancellationToken, migrate: false).ConfigureAwait(false);
            var name = parse.GetValue(workspace)!;
            if (await opened.FindWorkspaceAsync(name, cancellationToken).ConfigureAwait(false) is not { } ws)
            {
                await Console.Error.WriteLineAsync($"no workspace '{name}'").ConfigureAwait(false);
                return 2;
            }

            var file = parse.GetValue(output);
            // Standard output is not this command's to close; a file is.
            await using var toFile = file is null ? null : new StreamWriter(file.FullName, append: false, new System.Text.UTF8Encoding(false));
            var writer = (TextWriter?)toFile ?? Console.Out;
            var written = 0;
            var from = TimeProvider.System.GetUtcNow() - window;
            for (long after = 0; ;)
            {
                var page = await opened.ListDecisionsAsync(ws.Id, from, after, 1000, cancellationToken).ConfigureAwait(false);
                foreach (var record in page.Records)
                {
                    if (await opened.GetCaseAsync(ws.Id, record.CaseId, cancellationToken).ConfigureAwait(false) is not { Decision: { } decision } c)
                    {
                        continue;
                    }

                    var line = kind == "supervised" ? Supervised(c, decision, record) : Preference(c, decision);
                    if (line is not null)
                    {
                        await writer.WriteLineAsync(JsonSerializer.Serialize(line, Line)).ConfigureAwait(false);
                        written++;
                    }
                }

                if (page.Next is not { } next)
                {
                    break;
                }

                after = next;
            }

            await Console.Error.WriteLineAsync($"{written} {kind} {(written == 1 ? "pair" : "pairs")}{(file is null ? "" : $" written to {file.FullName}")}").ConfigureAwait(false);
            return 0;
        });

        return new Command("export", "Export data for use outside Handoff.") { decisions };
    }

    // The case as the agent put it, what the AI proposed, what went ahead, and the person's verdict and reasons.
    private static object Supervised(HandoffCase c, Decision decision, Core.Learning.DecisionRecord record) => new
    {
        caseId = c.Id,
        decidedAt = decision.DecidedAt,
        input = Input(c),
        proposal = c.Content.Proposal,
        output = Output(c, decision),
        verdict = decision.Verdict,
        reasons = c.Evaluation.ReasonsForAPerson.Select(static r => new { rule = r.Rule, text = r.Text }).ToArray(),
        labels = new { intent = record.Intent, action = record.Action, rules = record.Rules, approvedUnchanged = record.ApprovedUnchanged },
        text = decision.Text,
        note = decision.Note,
        changes = decision.Changes,
    };

    // Only where the person's own output replaced the AI's: the pair says which of two answers to the same case is better.
    private static object? Preference(HandoffCase c, Decision decision) =>
        decision.Verdict is Verdict.Edit or Verdict.Choose or Verdict.Respond && c.Content.Proposal is { } proposal && Output(c, decision) is { } chosen
            ? new { caseId = c.Id, prompt = Input(c), chosen, rejected = proposal, verdict = decision.Verdict }
            : null;

    private static object Input(HandoffCase c) => new
    {
        kind = c.Content.Kind,
        summary = c.Content.Summary,
        conversation = c.Content.Conversation,
        facts = c.Content.Facts.ValueKind == JsonValueKind.Undefined ? (JsonElement?)null : c.Content.Facts,
    };

    // What went ahead: the approved, edited or chosen proposal, or the person's own answer; null for a reject.
    private static Proposal? Output(HandoffCase c, Decision decision) => decision.Verdict switch
    {
        Verdict.Reject => null,
        Verdict.Respond => new Proposal(decision.Text, null, null),
        _ => decision.Result ?? c.Content.Proposal,
    };
}
