using System.Text;

namespace Handoff.Core.Notifications.Slack;

/// <summary>Text as Slack's mrkdwn and its length limits want it.</summary>
internal static class SlackText
{
    /// <summary>
    /// <paramref name="text"/> with the three characters mrkdwn reads as control characters escaped (<c>&amp;</c>,
    /// <c>&lt;</c>, <c>&gt;</c>), so that nothing an agent or a customer wrote can become a link, a mention or an
    /// <c>@channel</c>; cut with an ellipsis so that the escaped text fits in <paramref name="max"/> characters.
    /// </summary>
    public static string Escape(string text, int max = int.MaxValue)
    {
        var escaped = Escaped(text, int.MaxValue);
        return escaped.Length <= max ? escaped : Escaped(text, max - 1) + "…";
    }

    // As much of the escaped text as fits in budget characters, never splitting an escape or a surrogate pair.
    private static string Escaped(string text, int budget)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var piece = text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ when char.IsHighSurrogate(text[i]) && i + 1 < text.Length => text.Substring(i, 2),
                _ => null,
            };
            if (builder.Length + (piece?.Length ?? 1) > budget)
            {
                break;
            }

            if (piece is null)
            {
                builder.Append(text[i]);
            }
            else
            {
                builder.Append(piece);
                i += piece.Length == 2 && char.IsHighSurrogate(piece[0]) ? 1 : 0;
            }
        }

        return builder.ToString();
    }

    /// <summary><paramref name="text"/> cut with an ellipsis to at most <paramref name="max"/> characters, never inside a surrogate pair.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var end = max - 1;
        if (char.IsLowSurrogate(text[end]))
        {
            end--;
        }

        return string.Concat(text.AsSpan(0, end), "…");
    }
}
