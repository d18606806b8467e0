using Handoff.Core.Cases;

namespace Handoff.Server.Api;

/// <summary>A validated submission.</summary>
internal sealed record SubmittedCase(CaseContent Content, TimeSpan? ExpiresIn, TimeoutEffect OnTimeout);
