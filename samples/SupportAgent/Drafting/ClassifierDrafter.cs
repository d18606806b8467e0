using Handoff.Samples.SupportAgent.Classification;

namespace Handoff.Samples.SupportAgent.Drafting;

/// <summary>
/// The offline agent: the classifier names the intent and how sure it is, the playbook drafts the reply and the tool
/// call, and a runner-up intent that is not unlikely becomes an option the reviewer can pick with one key.
/// </summary>
internal sealed class ClassifierDrafter(IntentClassifier classifier, string source) : IDrafter
{
    // A runner-up this likely is a real alternative; below it, options would only be noise for the reviewer.
    private const float RunnerUpAt = 0.15f;

    public string Name => $"classifier ({source})";

    public Task<Draft> DraftAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var ranked = classifier.Rank(conversation.LastCustomerText);
        var best = ranked[0];
        var facts = FactExtractor.Extract(conversation, best.Intent, best.Probability);
        var runnersUp = ranked.Skip(1).Take(1).Where(s => s.Probability >= RunnerUpAt).Select(s => (s.Intent, (double)s.Probability));
        return Task.FromResult(Playbook.Plan(conversation, facts, best.Probability, alternatives: runnersUp));
    }
}
