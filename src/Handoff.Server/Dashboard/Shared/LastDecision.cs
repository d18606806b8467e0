namespace Handoff.Server.Dashboard.Shared;

/// <summary>
/// The last decision sent from this circuit, kept while the next case opens so the person still sees what went out
/// (a decision reaches the agent at once and cannot be taken back: the notice is how a slip is noticed).
/// </summary>
internal sealed class LastDecision
{
    public DecisionNotice? Notice { get; private set; }

    /// <summary>Raised on the circuit's dispatcher whenever <see cref="Notice"/> changes.</summary>
    public event Action? Changed;

    public void Tell(DecisionNotice notice)
    {
        Notice = notice;
        Changed?.Invoke();
    }

    public void Dismiss()
    {
        Notice = null;
        Changed?.Invoke();
    }
}
