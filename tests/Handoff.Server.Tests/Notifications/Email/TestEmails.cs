using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Server.Notifications;
using Handoff.Server.Notifications.Email;
using Handoff.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Server.Tests.Notifications.Email;

/// <summary>The people, notices and outbox messages the e-mail tests send, and a channel pointed at a test server.</summary>
internal static class TestEmails
{
    public static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public const string From = "handoff@handoff.test";

    /// <summary>Options for the SMTP server on 127.0.0.1:<paramref name="port"/>, in plain text (a loopback test server has no TLS).</summary>
    public static SmtpOptions Options(int port) => new() { Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None, From = From };

    public static EmailChannel Channel(SmtpOptions options, TimeProvider? time = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options), time ?? new FakeTimeProvider(At), NullLogger<EmailChannel>.Instance);

    public static EmailComposer Composer(SmtpOptions options) => new(Microsoft.Extensions.Options.Options.Create(options));

    /// <summary>A person with an address no other test uses, starting with <paramref name="local"/> (the sink refuses <c>reject…</c>, defers <c>busy…</c>).</summary>
    public static User Person(string local = "riley") =>
        new("usr_riley", "ws_1", $"{local}.{Guid.NewGuid():N}@example.com", "Riley Reviewer", UserRole.Reviewer, ["billing"], "", At, null);

    /// <summary>The outbox message carrying <paramref name="body"/> to <paramref name="target"/>, as the delivery worker hands it over.</summary>
    public static OutboundMessage Message(string target, string body, string eventType = EventTypes.CaseEscalated, string? caseId = "cs_1", string eventId = "evt_7_1") =>
        new("dlv_1", eventId, eventType, "ws_1", caseId, EmailChannel.Name, target, body, 1, At);

    public static CaseNotice Notice(string eventType = EventTypes.CaseEscalated, string caseId = "cs_1") => new()
    {
        EventType = eventType,
        WorkspaceId = "ws_1",
        CaseId = caseId,
        Headline = eventType == EventTypes.CaseCreated ? "New case" : "Needs a person",
        Title = "Refund of 420 EUR for a broken blender",
        Reasons = ["Refunds over 100 EUR need a person"],
        Customer = "Dana Fischer",
        Proposal = """issue_refund({"amount":420,"currency":"EUR"})""",
        Confidence = 0.62,
        Options = ["Offer a replacement blender instead"],
        Priority = Priority.High,
        Team = "billing",
        Status = CaseStatus.Pending,
        DueAt = At.AddMinutes(65),
        Link = $"https://handoff.example.com/cases/{caseId}",
        At = At,
    };
}
