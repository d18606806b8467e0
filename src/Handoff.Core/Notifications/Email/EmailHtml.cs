using System.Net;
using System.Text;
using Handoff.Core.Cases;

namespace Handoff.Core.Notifications.Email;

/// <summary>
/// The pieces Handoff's mails are made of: a centred card of tables with inline styles, which is what mail clients
/// render alike (Outlook ignores most of CSS, Gmail drops style sheets). Every text from a case goes through
/// <see cref="Text"/>: nothing an agent or a customer wrote is ever markup.
/// </summary>
internal static class EmailHtml
{
    public const string Font = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
    public const string Muted = "#475467";
    public const string Ink = "#101828";
    public const string Accent = "#1f6feb";

    /// <summary><paramref name="text"/> escaped for HTML text and attribute values (quotes included).</summary>
    public static string Text(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>
    /// The link as an attribute value, or null when it is no absolute web address (<c>https:</c> or <c>http:</c>): a
    /// link in a mail never runs script whatever a configuration says, and a relative one leads nowhere from an inbox.
    /// </summary>
    public static string? Href(string link) =>
        link.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || link.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            ? Text(link)
            : null;

    /// <summary>The whole document around <paramref name="content"/>; <paramref name="preheader"/> is the line inboxes show after the subject.</summary>
    public static string Document(string title, string preheader, string content, string footer) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light only">
        <title>{Text(title)}</title>
        </head>
        <body style="margin:0;padding:0;background-color:#f4f5f7;">
        <div style="display:none;max-height:0;overflow:hidden;opacity:0;mso-hide:all;">{Text(preheader)}</div>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f5f7;">
        <tr><td align="center" style="padding:24px 12px;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border:1px solid #e4e7ec;border-radius:8px;font-family:{Font};color:{Ink};">
        <tr><td style="padding:28px 32px;">
        {content}
        </td></tr>
        </table>
        <p style="max-width:600px;margin:16px auto 0;font-family:{Font};font-size:12px;line-height:1.5;color:#98a2b3;">{footer}</p>
        </td></tr>
        </table>
        </body>
        </html>
        """;

    /// <summary>A coloured label for a priority, red for urgent down to grey for low.</summary>
    public static string PriorityBadge(Priority priority)
    {
        var (background, color) = priority switch
        {
            Priority.Urgent => ("#fee4e2", "#b42318"),
            Priority.High => ("#fef0c7", "#b54708"),
            Priority.Normal => ("#eef4ff", "#3538cd"),
            _ => ("#f2f4f7", "#475467"),
        };
        return $"""<span style="display:inline-block;padding:2px 8px;border-radius:10px;background-color:{background};color:{color};font-size:12px;font-weight:600;">{Text(EmailWords.Priority(priority))}</span>""";
    }

    /// <summary>One reason as a chip.</summary>
    public static string Chip(string text) =>
        $"""<span style="display:inline-block;margin:0 6px 6px 0;padding:3px 10px;border-radius:12px;background-color:#f2f4f7;border:1px solid #e4e7ec;color:#344054;font-size:13px;">{Text(text)}</span>""";

    /// <summary>The big "Open in Handoff" button: a table cell with a background, which every client (Outlook too) paints.</summary>
    public static string Button(string href, string label) => $"""
        <table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:24px 0 4px;">
        <tr><td style="border-radius:6px;background-color:{Accent};" bgcolor="{Accent}">
        <a href="{href}" style="display:inline-block;padding:12px 22px;font-family:{Font};font-size:15px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;">{Text(label)}</a>
        </td></tr>
        </table>
        """;

    /// <summary>A label-and-value row of the facts table; <paramref name="valueHtml"/> is markup already escaped.</summary>
    public static void Row(StringBuilder html, string label, string valueHtml) => html.Append($"""
        <tr><td style="padding:6px 16px 6px 0;width:110px;vertical-align:top;font-size:13px;color:{Muted};white-space:nowrap;">{Text(label)}</td><td style="padding:6px 0;vertical-align:top;font-size:14px;line-height:1.5;">{valueHtml}</td></tr>

        """);
}
