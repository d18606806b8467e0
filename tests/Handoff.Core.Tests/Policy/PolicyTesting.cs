using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Policy;

/// <summary>Builds policies and cases for the policy tests, so each test shows only what it is about.</summary>
internal static class PolicyTesting
{
    public static CompiledPolicy Compile(string yaml, int version = 0)
    {
        var compilation = PolicyCompiler.Compile(yaml, version);
        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Problems));
        return compilation.Policy!;
    }

    /// <summary>A policy with one review rule whose <c>when</c> is <paramref name="when"/> (YAML, may span lines).</summary>
    public static CompiledPolicy OneRule(string when) => Compile($"""
        rules:
          - id: r
            when:
        {Indent(when, 6)}
            outcome: review
            reason: Rule r fired.
        """);

    /// <summary>True when a review rule with this <c>when</c> fires for <paramref name="content"/> (not when it fails closed).</summary>
    public static bool Fires(string when, CaseContent content) =>
        OneRule(when).Evaluate(content).Reasons.Any(static reason => reason is { Rule: "r", Text: "Rule r fired." });

    /// <summary>
    /// Why a review rule with this <c>when</c> could not be evaluated for <paramref name="content"/>, after the
    /// "rule r could not be evaluated: " that starts the reason; null when it could.
    /// </summary>
    public static string? Failure(string when, CaseContent content)
    {
        const string Prefix = "rule r could not be evaluated: ";
        var reason = OneRule(when).Evaluate(content).Reasons.SingleOrDefault(static reason => reason.Rule == "r");
        return reason is not null && reason.Text.StartsWith(Prefix, StringComparison.Ordinal) ? reason.Text[Prefix.Length..] : null;
    }

    public static CaseContent Case(
        string? facts = null,
        string? subject = null,
        string? signals = null,
        string? summary = null,
        string? channel = null,
        CaseKind kind = CaseKind.Reply,
        double? confidence = null,
        string? proposalText = null,
        string? actionName = null,
        string? arguments = null,
        params string[] conversation) => new()
        {
            Kind = kind,
            Summary = summary,
            Channel = channel,
            Facts = Json(facts),
            Subject = Json(subject),
            Signals = Json(signals),
            Conversation = [.. conversation.Select(static text => new Message("customer", text))],
            Proposal = confidence is null && proposalText is null && actionName is null
                ? null
                : new Proposal(proposalText, actionName is null ? null : new ToolCall(actionName, Json(arguments)), confidence),
        };

    public static JsonElement Json(string? json) =>
        json is null ? default : JsonSerializer.Deserialize<JsonElement>(json);

    private static string Indent(string text, int spaces) =>
        string.Join('\n', text.Split('\n').Select(line => new string(' ', spaces) + line));
}
