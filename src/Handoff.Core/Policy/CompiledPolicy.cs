using System.Globalization;
using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Core.Policy;

/// <summary>
/// A policy compiled by <see cref="PolicyCompiler.Compile"/>: immutable, and safe to evaluate from any number of
/// threads at once.
/// </summary>
public sealed class CompiledPolicy
{
    private static readonly Reason AutonomyStopped = new("autonomy-stopped", "Autonomy is stopped: every case goes to a person.", Outcome.Escalate);

    // A bool per rule on the stack is cheap up to here; bigger policies pay one small array per evaluation.
    private const int MaxRulesOnStack = 1024;

    private readonly CompiledRule[] _rules;

    internal CompiledPolicy(int version, string source, PolicyDefaults defaults, IReadOnlyList<CompiledRule> rules, Learning.LearningSettings? learning = null)
    {
        Learning = learning ?? Core.Learning.LearningSettings.Off;
        Version = version;
        Source = source;
        Defaults = defaults;
        _rules = [.. rules];
        Rules = Array.AsReadOnly(Array.ConvertAll(_rules, static rule => rule.Descriptor));
        RuleIds = Array.AsReadOnly(Array.ConvertAll(_rules, static rule => rule.Descriptor.Id));
    }

    public int Version { get; }

    /// <summary>The YAML text the policy was compiled from.</summary>
    public string Source { get; }

    public PolicyDefaults Defaults { get; }

    /// <summary>The <c>learning</c> section: the learned gate's mode and risk bound (off when the policy has none).</summary>
    public Learning.LearningSettings Learning { get; }

    /// <summary>The rule ids in policy order.</summary>
    public IReadOnlyList<string> RuleIds { get; }

    /// <summary>What each rule declares (outcome, team, skills, priority, SLA, mode, pinned, floor), in policy order.</summary>
    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>
    /// Evaluates every rule against <paramref name="content"/>. The most restrictive outcome of the rules that
    /// fired wins, tightened to <see cref="PolicyDefaults.LowConfidence"/> when the proposal's confidence is below
    /// the floor. With <paramref name="autonomyEnabled"/> false an Auto result becomes Escalate with an
    /// <c>autonomy-stopped</c> reason. A rule that cannot be evaluated (a value its condition cannot judge, a match
    /// that times out, any exception) fails closed: it counts as fired with at least Review, and its reason says it
    /// could not be evaluated and why. Thread-safe; never throws for any content.
    /// </summary>
    public Evaluation Evaluate(CaseContent content, bool autonomyEnabled = true)
    {
        ArgumentNullException.ThrowIfNull(content);
        var context = new EvalContext(content);
        var outcome = Outcome.Auto;
        double? ruleFloor = null;
        string? team = null;
        var teamOutcome = Outcome.Auto;
        Priority? priority = null;

        // Which rules fired, remembered on the stack so the reasons array can be allocated once at its exact size.
        var fired = _rules.Length <= MaxRulesOnStack ? stackalloc bool[_rules.Length] : new bool[_rules.Length];
        var firedCount = 0;
        // Only allocated when a rule cannot be evaluated: its reason, indexed like the rules.
        Reason[]? failures = null;
        double? failedFloor = null;
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            var declared = rule.Descriptor;
            var ruleOutcome = declared.Outcome ?? Outcome.Auto;
            try
            {
                if (!rule.When(context))
                {
                    continue;
                }
            }
            catch (Exception ex)
            {
                // Every exception, not only ConditionException: whatever went wrong, the policy cannot say the rule
                // does not apply, and a safety check must not fail open. The rule counts as fired with what it asks
                // for, the worst it would have done, as most-restrictive-wins does with any rule that fires; and with
                // at least Review, because an auto or floor-only rule that cannot be read still leaves the verdict
                // unknown, so a person looks. A block rule stays block rather than becoming escalate: a wrongly
                // refused case costs a resubmission and says why, while a case let through to a person who approves
                // it is exactly what the block rule exists to prevent.
                ruleOutcome = ruleOutcome > Outcome.Review ? ruleOutcome : Outcome.Review;
                failures ??= new Reason[_rules.Length];
                failures[i] = new Reason(declared.Id, $"rule {declared.Id} could not be evaluated: {ex.Message}", ruleOutcome);
            }

            fired[i] = true;
            firedCount++;
            if (ruleOutcome > outcome)
            {
                outcome = ruleOutcome;
            }

            // Strictly greater: among equally restrictive rules the first in policy order keeps the case.
            if (declared.Team is not null && (team is null || ruleOutcome > teamOutcome))
            {
                team = declared.Team;
                teamOutcome = ruleOutcome;
            }

            if (declared.Priority is { } rulePriority && (priority is null || rulePriority > priority))
            {
                priority = rulePriority;
            }

            // A rule that could not be evaluated may only raise the floor: had it fired, its floor would count; had it
            // not, the others' would, so the higher of the two is the safe one.
            if (declared.ConfidenceFloor is { } floor && failures?[i] is not null)
            {
                failedFloor = Math.Max(failedFloor ?? floor, floor);
            }
            else if (declared.ConfidenceFloor is { } firedFloor && (ruleFloor is null || firedFloor > ruleFloor))
            {
                ruleFloor = firedFloor;
            }
        }

        var confidenceFloor = ruleFloor ?? Defaults.ConfidenceFloor;
        if (failedFloor > confidenceFloor)
        {
            confidenceFloor = failedFloor.Value;
        }

        // A case that states no confidence (or brings no proposal at all) cannot clear a floor: the policy must not
        // wave through what the agent itself did not vouch for. Written as "not at least the floor" so that NaN,
        // which compares false with everything, does not clear it either (HTTP refuses NaN; in-process callers may not).
        var lowConfidence = content.Proposal?.Confidence is not { } confidence || !(confidence >= confidenceFloor);
        if (lowConfidence && Defaults.LowConfidence > outcome)
        {
            outcome = Defaults.LowConfidence;
        }

        var autonomyStopped = outcome == Outcome.Auto && !autonomyEnabled;
        if (autonomyStopped)
        {
            outcome = Outcome.Escalate;
        }

        var reasonCount = firedCount + (lowConfidence ? 1 : 0) + (autonomyStopped ? 1 : 0);
        var reasons = reasonCount == 0 ? [] : new Reason[reasonCount];
        var next = 0;
        for (var i = 0; next < firedCount; i++)
        {
            if (fired[i])
            {
                reasons[next++] = failures?[i] ?? _rules[i].Reason;
            }
        }

        if (lowConfidence)
        {
            reasons[next++] = new Reason(
                "low-confidence",
                content.Proposal?.Confidence is { } stated
                    ? string.Create(CultureInfo.InvariantCulture, $"Confidence {stated} is below the floor {confidenceFloor}.")
                    : string.Create(CultureInfo.InvariantCulture, $"No confidence was given; the floor is {confidenceFloor}."),
                Defaults.LowConfidence);
        }

        if (autonomyStopped)
        {
            reasons[next] = AutonomyStopped;
        }

        var finalPriority = priority ?? Priority.Normal;
        return new Evaluation(outcome, reasons, team ?? Defaults.Team, finalPriority, confidenceFloor, Version)
        {
            // Only a case a person must see is routed; the auto path pays nothing for it.
            Routing = outcome is Outcome.Review or Outcome.Escalate ? Route(content, fired, finalPriority) : null,
        };
    }

    /// <summary>Combines what the fired rules and the defaults ask of the person who takes the case.</summary>
    private RoutingRequirements Route(CaseContent content, ReadOnlySpan<bool> fired, Priority priority)
    {
        List<string>? skills = null;
        HandoffMode? mode = null;
        TimeSpan? sla = null, liveWait = null;
        var approvals = ApprovalRule.Single;
        for (var i = 0; i < _rules.Length; i++)
        {
            if (!fired[i])
            {
                continue;
            }

            var rule = _rules[i].Descriptor;
            foreach (var skill in rule.Skills)
            {
                var normal = skill.Trim().ToLowerInvariant();
                skills ??= [];
                if (!skills.Contains(normal, StringComparer.Ordinal))
                {
                    skills.Add(normal);
                }
            }

            if (rule.Mode is { } ruleMode && (mode is null || Urgency(ruleMode) > Urgency(mode.Value)))
            {
                mode = ruleMode;
            }

            if (rule.Sla is { } ruleSla && (sla is null || ruleSla < sla))
            {
                sla = ruleSla;
            }

            if (rule.LiveWait is { } ruleWait && (liveWait is null || ruleWait < liveWait))
            {
                liveWait = ruleWait;
            }

            if (rule.Approvals is { } ruleApprovals)
            {
                approvals = approvals.Strictest(ruleApprovals);
            }
        }

        sla ??= Defaults.SlaByPriority.TryGetValue(priority, out var bySla) ? bySla : Defaults.Sla;
        return new RoutingRequirements(
            skills is null ? [] : skills.AsReadOnly(),
            Language(content),
            mode ?? Defaults.Mode,
            sla,
            Defaults.SlaWarnAt,
            Defaults.OnBreach,
            liveWait ?? Defaults.LiveWait,
            approvals);
    }

    // A customer already on the line outranks a rule that would rather queue.
    private static int Urgency(HandoffMode mode) => mode switch
    {
        HandoffMode.Live => 2,
        HandoffMode.Either => 1,
        _ => 0,
    };

    /// <summary>The customer's language, <c>subject.language</c>, lowercase; null when absent or not a short text.</summary>
    private static string? Language(CaseContent content) =>
        content.Subject.ValueKind == JsonValueKind.Object
        && content.Subject.TryGetProperty("language", out var language)
        && language.ValueKind == JsonValueKind.String
        && language.GetString() is { Length: > 0 and <= 35 } text
        && !string.IsNullOrWhiteSpace(text)
            ? text.Trim().ToLowerInvariant()
            : null;
}
