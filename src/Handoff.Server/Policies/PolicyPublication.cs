using Handoff.Core.Policy;
using Handoff.Storage;

namespace Handoff.Server.Policies;

/// <summary>
/// What publishing a policy did: the version stored, or the problems that stopped it (<see cref="Published"/> null);
/// and, for a published one, what in it will not work in the workspace as it is (teams it does not have).
/// </summary>
internal sealed record PolicyPublication(StoredPolicy? Published, IReadOnlyList<PolicyProblem> Problems, IReadOnlyList<PolicyWarning> Warnings);
