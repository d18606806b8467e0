using Handoff.Core.Policy;

namespace Handoff.Server.Policies;

/// <summary>The compiled policy a workspace evaluates cases with, and whether autonomy is on.</summary>
internal sealed record WorkspacePolicy(CompiledPolicy Policy, bool AutonomyEnabled);
