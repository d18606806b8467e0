using System.CommandLine;
using System.Text.Json;
using Handoff.Core;
using Handoff.Core.Policy;
using Handoff.Server.Api;
using Handoff.Server.Api.Contracts;

namespace Handoff.Cli.Commands;

/// <summary><c>handoff policy validate</c> and <c>handoff policy test</c>: check a policy before it goes live.</summary>
internal static class PolicyCommand
{
    // For people reading a terminal: indented, and "person's" rather than "person\u0027s".
    private static readonly JsonSerializerOptions Printed = new(HandoffJson.Options)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The policy YAML file." };
        var data = CommonOptions.Data();
        var storeOption = CommonOptions.Store();
        // No default: without a workspace the check is of the file alone, and touches no store.
        var workspace = new Option<string?>("--workspace")
        {
            Description = "Also check the policy against this workspace (in --data or --store): a team it names that the workspace lacks is a warning.",
        };
        var validate = new Command(
            "validate", "Report every problem in a policy as FILE:line:col: message (exit 1 on problems); with --workspace, warnings as FILE:line: warning: field: message.")
        {
            file, workspace, data, storeOption,
        };
        validate.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var (policy, exitCode) = await CompileOrReportAsync(path, cancellationToken).ConfigureAwait(false);
            if (policy is null)
            {
                return exitCode;
            }

            var warnings = 0;
            if (parse.GetValue(workspace) is { } name)
            {
                // A check must not change what it checks: no migration, no workspace created.
                using var store = await CommonOptions.OpenStoreAsync(parse.GetValue(data)!, parse.GetValue(storeOption), cancellationToken, migrate: false).ConfigureAwait(false);
                if (await store.FindWorkspaceAsync(name, cancellationToken).ConfigureAwait(false) is not { } ws)
                {
                    await Console.Error.WriteLineAsync($"{path}: no workspace '{name}' to check the policy against").ConfigureAwait(false);
                    return 2;
                }

                var teams = await store.ListTeamsAsync(ws.Id, cancellationToken).ConfigureAwait(false);
                foreach (var warning in PolicyTeams.Unknown(policy, [.. teams.Select(static t => t.Name)]))
                {
                    await Console.Out.WriteLineAsync($"{path}:{warning.Line}: warning: {warning.Field}: {warning.Message}").ConfigureAwait(false);
                    warnings++;
                }
            }

            var summary = warnings == 0 ? "" : warnings == 1 ? ", 1 warning" : $", {warnings} warnings";
            await Console.Out.WriteLineAsync($"{path}: ok ({policy.RuleIds.Count} rules{summary})").ConfigureAwait(false);
            return 0;
        });

        var testFile = new Argument<FileInfo>("FILE") { Description = "The policy YAML file." };
        var caseFile = new Option<FileInfo>("--case") { Description = "A case as JSON, in the shape of POST /v1/cases.", Required = true };
        var test = new Command("test", "Evaluate a case against a policy and print the outcome and reasons as JSON.") { testFile, caseFile };
        test.SetAction(async (parse, cancellationToken) =>
        {
            var (policy, exitCode) = await CompileOrReportAsync(parse.GetValue(testFile)!, cancellationToken).ConfigureAwait(false);
            if (policy is null)
            {
                return exitCode;
            }

            var submitted = await ReadCaseAsync(parse.GetValue(caseFile)!, cancellationToken).ConfigureAwait(false);
            if (submitted is null)
            {
                return 2;
            }

            var evaluation = policy.Evaluate(submitted.Content);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(evaluation, Printed)).ConfigureAwait(false);
            return 0;
        });

        var simulateFile = new Argument<FileInfo>("CANDIDATE") { Description = "The candidate policy's YAML file." };
        var since = new Option<string>("--since") { Description = "How far back to replay: days or hours, such as 30d or 12h.", DefaultValueFactory = _ => "30d" };
        var json = new Option<bool>("--json") { Description = "Print the whole report as JSON instead of a summary." };
        var simulateWorkspace = CommonOptions.Workspace();
        var simulateData = CommonOptions.Data();
        var simulateStore = CommonOptions.Store();
        var simulate = new Command(
            "simulate",
            "Replay a workspace's past cases under a candidate policy: which outcomes change, each team's workload, and the errors it would let through, judged by people's decisions. Publishes nothing.")
        {
            simulateFile, since, json, simulateWorkspace, simulateData, simulateStore,
        };
        simulate.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(simulateFile)!;
            if (Handoff.Server.Learning.LearningApi.Window(parse.GetValue(since)!) is not { } window)
            {
                await Console.Error.WriteLineAsync($"--since: '{parse.GetValue(since)}' is not a period such as 30d or 12h").ConfigureAwait(false);
                return 2;
            }

            var (candidate, exitCode) = await CompileOrReportAsync(path, cancellationToken).ConfigureAwait(false);
            if (candidate is null)
            {
                return exitCode;
            }

            // A replay must not change what it reads: no migration, no workspace created.
            using var store = await CommonOptions.OpenStoreAsync(parse.GetValue(simulateData)!, parse.GetValue(simulateStore), cancellationToken, migrate: false).ConfigureAwait(false);
            var name = parse.GetValue(simulateWorkspace)!;
            Handoff.Storage.Workspace? ws;
            try
            {
                ws = await store.FindWorkspaceAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Data.Common.DbException e)
            {
                await Console.Error.WriteLineAsync($"no Handoff data to replay, so no workspace '{name}' ({e.Message}); run 'handoff serve' with the same --data or --store first").ConfigureAwait(false);
                return 2;
            }

            if (ws is null)
            {
                await Console.Error.WriteLineAsync($"no workspace '{name}'").ConfigureAwait(false);
                return 2;
            }

            var report = await new Handoff.Server.Learning.PolicyReplayService(store)
                .RunAsync(ws.Id, candidate, TimeProvider.System.GetUtcNow() - window, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(report, Printed) : ReplaySummary.Format(report, parse.GetValue(since)!)).ConfigureAwait(false);
            return 0;
        });

        return new Command("policy", "Validate, try out and replay policies.") { validate, test, simulate };
    }

    /// <summary>The compiled policy, or null with the exit code after reporting why: 2 no file, 1 problems.</summary>
    private static async Task<(CompiledPolicy? Policy, int ExitCode)> CompileOrReportAsync(FileInfo path, CancellationToken cancellationToken)
    {
        if (!path.Exists)
        {
            await Console.Error.WriteLineAsync($"{path}: no such file").ConfigureAwait(false);
            return (null, 2);
        }

        var compilation = PolicyCompiler.Compile(await File.ReadAllTextAsync(path.FullName, cancellationToken).ConfigureAwait(false));
        foreach (var problem in compilation.Problems)
        {
            await Console.Out.WriteLineAsync($"{path}:{problem}").ConfigureAwait(false);
        }

        return (compilation.Policy, compilation.Succeeded ? 0 : 1);
    }

    private static async Task<SubmittedCase?> ReadCaseAsync(FileInfo path, CancellationToken cancellationToken)
    {
        if (!path.Exists)
        {
            await Console.Error.WriteLineAsync($"{path}: no such file").ConfigureAwait(false);
            return null;
        }

        SubmitCaseRequest? request;
        try
        {
            await using var stream = path.OpenRead();
            request = await JsonSerializer.DeserializeAsync<SubmitCaseRequest>(stream, HandoffJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            var what = e.InnerException is null || e.Path is null or "$" ? "not valid JSON" : $"'{e.Path.TrimStart('$', '.')}' has the wrong type";
            await Console.Error.WriteLineAsync($"{path}: not a valid case: {what}{where}").ConfigureAwait(false);
            return null;
        }

        var errors = new ValidationErrors();
        var submitted = request is null ? null : SubmitCaseValidator.Validate(request, errors);
        if (submitted is null)
        {
            foreach (var (field, messages) in errors.ToDictionary())
            {
                await Console.Error.WriteLineAsync($"{path}: {field}: {string.Join(" ", messages)}").ConfigureAwait(false);
            }
        }

        return submitted;
    }
}
