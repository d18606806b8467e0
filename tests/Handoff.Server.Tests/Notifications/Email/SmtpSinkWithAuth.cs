namespace Handoff.Server.Tests.Notifications.Email;

/// <summary>An <see cref="SmtpSink"/> that takes mail only after AUTH as <see cref="UserName"/> with <see cref="Password"/> (over plain text: loopback).</summary>
public sealed class SmtpSinkWithAuth : SmtpSink
{
    public const string UserName = "handoff";
    public const string Password = "correct horse battery staple";

    protected override IEnumerable<string> Arguments => ["--auth", $"{UserName}:{Password}"];
}
