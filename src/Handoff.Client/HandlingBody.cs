namespace Handoff.Client;

/// <summary>The <c>handling</c> member of a submission's answer, as the server sends it; read it as <see cref="SubmittedCase.Handling"/>.</summary>
public sealed record HandlingBody(string Mode, long ExpectedWaitSeconds, string Basis, DateTimeOffset? LiveUntil);
