namespace Handoff.Core.Policy;

/// <summary>
/// How many distinct people must approve a case before the agent hears "approved", and optionally the role each of
/// them needs. One reject by anyone allowed to decide ends the case at once.
/// </summary>
/// <param name="Count">Distinct people, 1 to 5.</param>
/// <param name="Role">
/// <c>reviewer</c>, <c>supervisor</c> or <c>admin</c>: each approver must hold at least this role (reviewer &lt;
/// supervisor &lt; admin); null lets anyone who may decide approve.
/// </param>
public sealed record ApprovalRule(int Count, string? Role)
{
    /// <summary>One approval by anyone: what a case needs when no rule asks for more.</summary>
    public static ApprovalRule Single { get; } = new(1, null);

    /// <summary>The roles <see cref="Role"/> may name, lowest first.</summary>
    public static IReadOnlyList<string> Roles { get; } = ["reviewer", "supervisor", "admin"];

    /// <summary>The stricter of two requirements: the larger count, and the higher role.</summary>
    public ApprovalRule Strictest(ApprovalRule other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var role = Rank(other.Role) > Rank(Role) ? other.Role : Role;
        return new(Math.Max(Count, other.Count), role);
    }

    /// <summary>Whether a person holding <paramref name="role"/> counts towards this requirement.</summary>
    public bool Admits(string role) => Rank(role) >= Rank(Role);

    private static int Rank(string? role) => role is null ? -1 : IndexOf(role);

    private static int IndexOf(string role)
    {
        for (var i = 0; i < Roles.Count; i++)
        {
            if (string.Equals(Roles[i], role, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
