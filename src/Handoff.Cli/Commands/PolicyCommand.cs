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
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The policy YAML file." };
        var validate = new Command("validate", "Report every problem in a policy as FILE:line:col: message (exit 1 on problems).") { file };
        validate.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var compilation = await CompileAsync(path, cancellationToken).ConfigureAwait(false);
            if (compilation is null)
            {
                return 2;
            }

            if (!compilation.Succeeded)
            {
                await PrintProblemsAsync(path, compilation).ConfigureAwait(false);
                return 1;
            }

            await Console.Out.WriteLineAsync($"{path}: ok ({compilation.Policy!.RuleIds.Count} rules)").ConfigureAwait(false);
            return 0;
        });

        var testFile = new Argument<FileInfo>("FILE") { Description = "The policy YAML file." };
        var caseFile = new Option<FileInfo>("--case") { Description = "A case as JSON, in the shape of POST /v1/cases.", Required = true };
        var test = new Command("test", "Evaluate a case against a policy and print the outcome and reasons as JSON.") { testFile, caseFile };
        test.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(testFile)!;
            var compilation = await CompileAsync(path, cancellationToken).ConfigureAwait(false);
            if (compilation is null)
            {
                return 2;
            }

            if (!compilation.Succeeded)
            {
                await PrintProblemsAsync(path, compilation).ConfigureAwait(false);
                return 1;
            }

            var submitted = await ReadCaseAsync(parse.GetValue(caseFile)!, cancellationToken).ConfigureAwait(false);
            if (submitted is null)
            {
                return 2;
            }

            var evaluation = compilation.Policy!.Evaluate(submitted.Content);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(evaluation, new JsonSerializerOptions(HandoffJson.Options) { WriteIndented = true })).ConfigureAwait(false);
            return 0;
        });

        return new Command("policy", "Validate and try out policies.") { validate, test };
    }

    private static async Task<PolicyCompilation?> CompileAsync(FileInfo path, CancellationToken cancellationToken)
    {
        if (!path.Exists)
        {
            await Console.Error.WriteLineAsync($"{path}: no such file").ConfigureAwait(false);
            return null;
        }

        return PolicyCompiler.Compile(await File.ReadAllTextAsync(path.FullName, cancellationToken).ConfigureAwait(false));
    }

    private static async Task PrintProblemsAsync(FileInfo path, PolicyCompilation compilation)
    {
        foreach (var problem in compilation.Problems)
        {
            await Console.Out.WriteLineAsync($"{path}:{problem}").ConfigureAwait(false);
        }
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
            await Console.Error.WriteLineAsync($"{path}: not a valid case: {e.Message}").ConfigureAwait(false);
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
