namespace Handoff.Server.Notifications.Slack;

/// <summary>A posted Slack message as the outbox remembers it: <c>{channel id}:{ts}</c>.</summary>
internal static class SlackReference
{
    public static string Format(string channel, string ts) => $"{channel}:{ts}";

    public static bool TryParse(string reference, out string channel, out string ts)
    {
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        (channel, ts) = colon > 0 && colon < reference.Length - 1 ? (reference[..colon], reference[(colon + 1)..]) : ("", "");
        return channel.Length > 0;
    }
}
