using System.Net;

namespace Handoff.Client;

/// <summary>One answer from the server, read whole; <c>Replayed</c> when it carried <c>Idempotent-Replayed</c>.</summary>
internal readonly record struct Reply(HttpStatusCode Status, byte[] Body, string? ReasonPhrase, bool Replayed);
