using Handoff.Core.Cases;

namespace Handoff.Server.Api.Contracts;

/// <summary>
/// What <c>GET /v1/cases/{id}/messages</c> answers: where the case stands, the messages numbered above the request's
/// <c>after</c>, and <see cref="Last"/>, the number of the transcript's last message (pass it as the next <c>after</c>).
/// </summary>
public sealed record MessagesView(string CaseId, CaseStatus Status, Actor? AssignedTo, IReadOnlyList<CaseMessage> Messages, int Last);
