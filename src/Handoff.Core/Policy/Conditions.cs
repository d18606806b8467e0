using System.Text.RegularExpressions;

namespace Handoff.Core.Policy;

/// <summary>
/// The building blocks a policy compiles into. Each factory captures what it needs (the resolved path, the
/// literal, the prebuilt regex) so evaluation does no parsing and no lookups.
/// </summary>
internal static class Conditions
{
    /// <summary>
    /// How long one <c>matches</c> may run on one value. Patterns run on the linear-time engine, so this is only a
    /// backstop for a stalled machine, set well above what first use costs (building the matcher); a match that
    /// reaches it cannot say the rule does not apply, so it throws <see cref="ConditionException"/> like any other
    /// value the condition cannot judge.
    /// </summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public static Condition All(Condition[] parts) => parts.Length == 1 ? parts[0] : context =>
    {
        foreach (var part in parts)
        {
            if (!part(context))
            {
                return false;
            }
        }

        return true;
    };

    public static Condition Any(Condition[] parts) => parts.Length == 1 ? parts[0] : context =>
    {
        foreach (var part in parts)
        {
            if (part(context))
            {
                return true;
            }
        }

        return false;
    };

    public static Condition Not(Condition inner) => context => !inner(context);

    public static Condition Eq(FieldPath path, Literal literal) => context => literal.Matches(path.Resolve(context));

    // A missing value is not equal to anything, so ne (like notIn) matches it.
    public static Condition Ne(FieldPath path, Literal literal) => context => !literal.Matches(path.Resolve(context));

    public static Condition Compare(FieldPath path, string op, double bound) => op switch
    {
        "gt" => context => TryReadNumber(path, op, context, out var number) && number > bound,
        "gte" => context => TryReadNumber(path, op, context, out var number) && number >= bound,
        "lt" => context => TryReadNumber(path, op, context, out var number) && number < bound,
        "lte" => context => TryReadNumber(path, op, context, out var number) && number <= bound,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a comparison operator."),
    };

    public static Condition In(FieldPath path, Literal[] list) => context => IsIn(path.Resolve(context), list);

    public static Condition NotIn(FieldPath path, Literal[] list) => context => !IsIn(path.Resolve(context), list);

    /// <summary>
    /// Strings: case-insensitive substring of a text literal. Arrays: an element equals the literal (as <c>eq</c>).
    /// Anything else that is present cannot be searched and throws <see cref="ConditionException"/>.
    /// </summary>
    public static Condition Contains(FieldPath path, Literal literal) => context =>
    {
        var value = path.Resolve(context);
        switch (value.Kind)
        {
            case FieldKind.Missing:
                return false;
            case FieldKind.String when literal.Kind == FieldKind.String:
                return value.GetString().Contains(literal.Text, StringComparison.OrdinalIgnoreCase);
            case FieldKind.String:
                throw new ConditionException($"'contains' with {Describe(literal.Kind)} searches lists, and {path.Text} is text (quote the value to search the text)");
            case FieldKind.Array:
                foreach (var element in value.Element.EnumerateArray())
                {
                    if (literal.Matches(FieldValue.Of(element)))
                    {
                        return true;
                    }
                }

                return false;
            default:
                throw Unreadable(path, "contains", value, "text or a list");
        }
    };

    /// <summary>
    /// Runs <paramref name="regex"/> on a string value; <c>mentions</c> and <c>matches</c> (<paramref name="op"/>)
    /// both end up here. A value that is present but not text, or a match that times out, throws
    /// <see cref="ConditionException"/>.
    /// </summary>
    public static Condition MatchesPattern(FieldPath path, string op, Regex regex, Func<string, string>? prepare = null) => context =>
    {
        var value = path.Resolve(context);
        switch (value.Kind)
        {
            case FieldKind.Missing:
                return false;
            case FieldKind.String:
                try
                {
                    var text = value.GetString();
                    return regex.IsMatch(prepare is null ? text : prepare(text));
                }
                catch (RegexMatchTimeoutException ex)
                {
                    throw new ConditionException($"'{op}' on {path.Text} did not finish within its time limit", ex);
                }

            default:
                throw Unreadable(path, op, value, "text");
        }
    };

    /// <summary>
    /// <c>mentions</c>: <see cref="MatchesPattern"/> on the text as it reads (<see cref="AsItReads"/>), so that
    /// "law\u00ADyer" or full-width "ｌａｗｙｅｒ" still mention a lawyer.
    /// </summary>
    public static Condition Mentions(FieldPath path, Regex regex) => MatchesPattern(path, "mentions", regex, AsItReads);

    /// <summary>
    /// Text as a reader sees it: compatibility forms folded (NFKC: full-width letters, ligatures, superscripts) and
    /// invisible format characters removed (soft hyphens, zero-width spaces and joiners, bidi marks), which would
    /// otherwise split a word for the matcher and not for the person reading it. Plain ASCII is returned as is.
    /// </summary>
    internal static string AsItReads(string text)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            return text;
        }

        var folded = text.Normalize(System.Text.NormalizationForm.FormKC);
        return folded.Any(static c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            ? string.Concat(folded.Where(static c => char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format))
            : folded;
    }

    public static Condition Exists(FieldPath path, bool expected) =>
        context => path.Resolve(context).Kind != FieldKind.Missing == expected;

    /// <summary>
    /// One regex for a whole <c>mentions</c> list: any of the words or phrases, case-insensitively, not inside a
    /// longer word. Lookarounds instead of <c>\b</c> so entries that start or end with punctuation ("c++") work;
    /// whitespace inside a phrase matches any run of whitespace.
    /// </summary>
    /// <remarks>
    /// No timeout: escaped literals in one alternation cannot backtrack catastrophically, and a timeout would
    /// turn a busy server into missed mentions, letting a case that names a lawyer through on its own.
    /// </remarks>
    public static Regex MentionsRegex(IEnumerable<string> phrases)
    {
        var alternatives = phrases
            .Select(static phrase => string.Join(@"\s+", AsItReads(phrase).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Regex.Escape)))
            .OrderByDescending(static pattern => pattern.Length);
        var pattern = $@"(?<!\w)(?:{string.Join('|', alternatives)})(?!\w)";
        return WarmedUp(new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, Regex.InfiniteMatchTimeout));
    }

    /// <summary>
    /// A <c>matches</c> pattern as written (add <c>(?i)</c> for case-insensitive), on the linear-time engine: no
    /// input can make it backtrack, so text an agent's customer wrote cannot make a rule slow. Throws
    /// <see cref="ArgumentException"/> if invalid, and <see cref="NotSupportedException"/> for what that engine
    /// cannot run (backreferences, lookarounds, atomic groups, conditionals, balancing groups, <c>\G</c>, and
    /// repetitions that would build an automaton of more than 10,000 nodes).
    /// </summary>
    public static Regex MatchesRegex(string pattern) =>
        WarmedUp(new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeout));

    // A regex builds its matcher (JIT-compiled code, or the non-backtracking engine's first states) on its first
    // match, and that time counts against the match timeout; paying it here, at policy compile time, keeps the
    // first evaluation from timing out spuriously.
    private static Regex WarmedUp(Regex regex)
    {
        try
        {
            regex.IsMatch(string.Empty);
        }
        catch (RegexMatchTimeoutException)
        {
            // Harmless here: only the warm-up matters.
        }

        return regex;
    }

    // A missing field is no number and simply does not match; a present one that is not a number cannot be
    // compared, and answering false would let "amount": "5,000 EUR" past a "gt: 1000" rule.
    private static bool TryReadNumber(FieldPath path, string op, EvalContext context, out double number)
    {
        var value = path.Resolve(context);
        if (value.TryGetNumber(out number))
        {
            return true;
        }

        return value.Kind == FieldKind.Missing ? false : throw Unreadable(path, op, value, "a number");
    }

    // Only a comparison refuses text or a number (contains, mentions and matches read text), so those two
    // descriptions can say what was wrong with the value.
    private static ConditionException Unreadable(FieldPath path, string op, in FieldValue value, string expected)
    {
        var got = value.Kind switch
        {
            FieldKind.String => "text that is not a number",
            FieldKind.Number when double.IsNaN(value.Number) => "NaN",
            _ => Describe(value.Kind),
        };
        return new ConditionException($"'{op}' needs {expected} at {path.Text}, got {got}");
    }

    private static string Describe(FieldKind kind) => kind switch
    {
        FieldKind.String => "text",
        FieldKind.Number => "a number",
        FieldKind.Bool => "a boolean",
        FieldKind.Array => "a list",
        FieldKind.Object => "an object",
        _ => "nothing",
    };

    private static bool IsIn(in FieldValue value, Literal[] list)
    {
        if (value.Kind == FieldKind.Missing)
        {
            return false;
        }

        foreach (var literal in list)
        {
            if (literal.Matches(value))
            {
                return true;
            }
        }

        return false;
    }
}
