namespace Handoff.Client;

/// <summary>Who did something: an API key (<c>agent</c>, <c>reviewer</c>, <c>admin</c>), a person, the policy or the system.</summary>
/// <param name="Kind">The kind of actor, such as <c>reviewer</c>, <c>policy</c> or <c>system</c>.</param>
/// <param name="Id">Its id (a key id, <c>policy-v3</c>, …).</param>
/// <param name="Name">Its display name.</param>
public sealed record Actor(string Kind, string Id, string Name);
