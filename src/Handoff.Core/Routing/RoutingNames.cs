namespace Handoff.Core.Routing;

/// <summary>
/// The spelling of the names routing matches on: team names, skills and languages. They are compared as plain
/// strings (ordinal) wherever they meet — a case's required skills against a person's, a rule's team against the
/// team list — so one spelling is enforced where they are written rather than folded where they are compared.
/// </summary>
public static class RoutingNames
{
    /// <summary>The longest team name or skill; long enough for "enterprise-billing-emea", short enough for a badge.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// A team name or a skill: a lowercase token of ASCII letters and digits, with <c>-</c> or <c>_</c> inside
    /// (<c>billing</c>, <c>refunds-eu</c>, <c>tier_2</c>), at most <see cref="MaxLength"/> characters.
    /// </summary>
    public static bool IsToken(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || !IsLowerAlphanumeric(name[0]) || !IsLowerAlphanumeric(name[^1]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsLowerAlphanumeric(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A language as a lowercase BCP 47 tag: a two- or three-letter language, optionally followed by subtags of two to
    /// eight letters or digits (<c>en</c>, <c>de</c>, <c>pt-br</c>, <c>zh-hant</c>).
    /// </summary>
    public static bool IsLanguage(string? tag)
    {
        if (string.IsNullOrEmpty(tag) || tag.Length > 35)
        {
            return false;
        }

        var parts = tag.Split('-');
        if (parts[0].Length is < 2 or > 3 || !parts[0].All(char.IsAsciiLetterLower))
        {
            return false;
        }

        return parts.Skip(1).All(p => p.Length is >= 2 and <= 8 && p.All(IsLowerAlphanumeric));
    }

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
