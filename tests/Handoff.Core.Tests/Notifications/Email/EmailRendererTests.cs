using Handoff.Core.Cases;
using Handoff.Core.Notifications;
using Handoff.Core.Notifications.Email;

namespace Handoff.Core.Tests.Notifications.Email;

public sealed class EmailRendererTests
{
    private const string Domain = "handoff.example.com";
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_AnEscalatedRefund_BothPartsCarryEverythingAPersonNeeds()
    {
        var mail = EmailRenderer.Render(Refund(), "evt_7_1", Domain);

        Assert.Equal("[Handoff] Refund of 420 EUR for a broken blender", mail.Subject);
        foreach (var part in new[] { mail.PlainText, mail.Html })
        {
            Assert.Contains("Needs a person", part, StringComparison.Ordinal);
            Assert.Contains("Refund of 420 EUR for a broken blender", part, StringComparison.Ordinal);
            Assert.Contains("Refunds over 100 EUR need a person", part, StringComparison.Ordinal);
            Assert.Contains("Dana Fischer", part, StringComparison.Ordinal);
            Assert.Contains("62 % confident", part, StringComparison.Ordinal);
            Assert.Contains("Offer a replacement blender instead", part, StringComparison.Ordinal);
            Assert.Contains("billing", part, StringComparison.Ordinal);
            Assert.Contains("1 h 5 min left", part, StringComparison.Ordinal);
            Assert.Contains("2 Mar 2026, 10:05 UTC", part, StringComparison.Ordinal);
            Assert.Contains("Open in Handoff", part, StringComparison.Ordinal);
            Assert.Contains("https://handoff.example.com/cases/cs_1", part, StringComparison.Ordinal);
        }

        Assert.Contains("issue_refund({\"amount\":420,\"currency\":\"EUR\"})", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("issue_refund({&quot;amount&quot;:420,&quot;currency&quot;:&quot;EUR&quot;})", mail.Html, StringComparison.Ordinal);
        Assert.Contains("""<a href="https://handoff.example.com/cases/cs_1" style="display:inline-block;""", mail.Html, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MarkupInEveryTextOfTheCase_IsEscapedInTheHtml_AndKeptAsWrittenInTheText()
    {
        const string Script = "<script>alert('x')</script>";
        var notice = Refund() with
        {
            Title = $"Refund {Script}",
            Reasons = [$"Reason {Script}"],
            Customer = $"Dana {Script}",
            Proposal = $"Say {Script}",
            Options = [$"Or {Script}"],
            Team = "billing\"><img src=x onerror=alert(1)>",
            AssignedTo = $"Riley {Script}",
            Note = $"Note {Script}",
        };

        var mail = EmailRenderer.Render(notice, "evt_7_1", Domain);

        Assert.DoesNotContain("<script", mail.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", mail.Html, StringComparison.OrdinalIgnoreCase);
        const string Escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;";
        foreach (var shown in new[] { "Refund", "Reason", "Dana", "Say", "Or", "Riley", "Note" })
        {
            Assert.Contains($"{shown} {Escaped}", mail.Html, StringComparison.Ordinal);
        }

        Assert.Contains("billing&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", mail.Html, StringComparison.Ordinal);
        Assert.Contains(Script, mail.PlainText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(65, "1 h 5 min left")]
    [InlineData(0.5, "due now")]
    [InlineData(-12, "overdue by 12 min")]
    [InlineData(60 * 26, "1 d 2 h left")]
    public void Render_TimeLeft_IsCountedFromTheEventsTime(double minutesLeft, string expected)
    {
        var notice = Refund() with { DueAt = At.AddMinutes(minutesLeft) };

        var mail = EmailRenderer.Render(notice, "evt_7_1", Domain);

        Assert.Contains(expected, mail.PlainText, StringComparison.Ordinal);
        Assert.Contains(expected, mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TheCasesMails_ThreadOnItsRoot_WhichTheCreatedMailCarries()
    {
        var created = EmailRenderer.Render(Refund() with { EventType = EventTypes.CaseCreated, Headline = "New case" }, "evt_7_0", Domain);
        var escalated = EmailRenderer.Render(Refund(), "evt_7_1", Domain);
        var breached = EmailRenderer.Render(Refund() with { EventType = EventTypes.SlaBreached, Headline = "SLA breached" }, "evt_9_0", Domain);

        Assert.Equal(("case.cs_1@handoff.example.com", (string?)null), (created.MessageId, created.InReplyTo));
        Assert.Empty(created.References);
        Assert.Equal(("evt_7_1.cs_1@handoff.example.com", "case.cs_1@handoff.example.com"), (escalated.MessageId, escalated.InReplyTo));
        Assert.Equal(["case.cs_1@handoff.example.com"], escalated.References);
        Assert.Equal(("evt_9_0.cs_1@handoff.example.com", created.MessageId), (breached.MessageId, breached.InReplyTo));
        Assert.Equal([created.Subject], new[] { escalated.Subject, breached.Subject }.Distinct());
    }

    [Fact]
    public void Render_TheSameNoticeTwice_GivesTheSameMail()
    {
        var first = EmailRenderer.Render(Refund(), "evt_7_1", Domain);
        var again = EmailRenderer.Render(Refund(), "evt_7_1", "Handoff.Example.com");

        Assert.Equal(
            (first.Subject, first.PlainText, first.Html, first.MessageId, first.InReplyTo),
            (again.Subject, again.PlainText, again.Html, again.MessageId, again.InReplyTo));
    }

    [Fact]
    public void Render_ADecidedCase_SaysWhoDecidedHowAndTheirNote()
    {
        var notice = Refund() with
        {
            EventType = EventTypes.CaseDecided,
            Headline = "Rejected by Riley Reviewer",
            Status = CaseStatus.Rejected,
            DecidedBy = "Riley Reviewer",
            Verdict = Verdict.Reject,
            Note = "Out of warranty\nsince January",
            DueAt = null,
        };

        var mail = EmailRenderer.Render(notice, "evt_8_0", Domain);

        Assert.Contains("Decision:     Rejected by Riley Reviewer", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("Note:         Out of warranty\n              since January\n", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("Status:       rejected", mail.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain("Deadline", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("Rejected by Riley Reviewer", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AWorkspaceNotice_IsHeadlinedByWhatHappened_AndThreadedWithNothing()
    {
        var notice = new CaseNotice
        {
            EventType = EventTypes.AutonomyChanged,
            WorkspaceId = "ws_1",
            CaseId = "",
            Headline = "Autonomy changed",
            Title = "Riley Reviewer stopped the agents' autonomy: audit",
            Priority = Priority.Normal,
            Team = "",
            Status = CaseStatus.Pending,
            Link = "https://handoff.example.com/admin/autonomy",
            At = At,
        };

        var mail = EmailRenderer.Render(notice, "evt_3_0", Domain);

        Assert.Equal("[Handoff] Autonomy changed", mail.Subject);
        Assert.Equal(("evt_3_0.ws_1@handoff.example.com", (string?)null), (mail.MessageId, mail.InReplyTo));
        Assert.DoesNotContain("Priority", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("stopped the agents&#39; autonomy", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ALinkThatIsNoWebAddress_IsShownAsTextButNeverLinked()
    {
        var relative = EmailRenderer.Render(Refund() with { Link = "/cases/cs_1" }, "evt_7_1", Domain);
        var script = EmailRenderer.Render(Refund() with { Link = "javascript:alert(1)" }, "evt_7_1", Domain);

        Assert.Contains("Open in Handoff: /cases/cs_1", relative.PlainText, StringComparison.Ordinal);
        Assert.Contains("Open in Handoff: /cases/cs_1", relative.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/cases", relative.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript", script.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_ALongTitleOverSeveralLines_GivesAOneLineSubject()
    {
        var mail = EmailRenderer.Render(Refund() with { Title = "Line one\r\nline two  " + new string('x', 300) }, "evt_7_1", Domain);

        Assert.StartsWith("[Handoff] Line one line two xxx", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', mail.Subject);
        Assert.Equal("[Handoff] ".Length + 120, mail.Subject.Length);
        Assert.EndsWith("…", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderDigest_ListsEachCaseWithItsLinkPriorityAndTimeLeft()
    {
        var waiting = new[]
        {
            Refund(),
            Refund() with { CaseId = "cs_2", Title = "Cancel order A-1 <today>", Priority = Priority.Urgent, DueAt = At.AddMinutes(-30), Link = "https://handoff.example.com/cases/cs_2" },
            Refund() with { CaseId = "cs_3", Title = "Where is my parcel", Priority = Priority.Low, DueAt = null, AssignedTo = "Riley Reviewer", Link = "https://handoff.example.com/cases/cs_3" },
        };

        var mail = EmailRenderer.RenderDigest(waiting, "Riley Reviewer", new DateOnly(2026, 3, 2), "digest_usr_1_2026-03-02", Domain);

        Assert.Equal("[Handoff] 3 cases wait for you (Monday 2 March)", mail.Subject);
        Assert.Equal(("digest_usr_1_2026-03-02.digest@handoff.example.com", (string?)null), (mail.MessageId, mail.InReplyTo));
        Assert.Contains("Hello Riley Reviewer,", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("3 cases wait for you — Monday 2 March 2026", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains(
            "2. Cancel order A-1 <today>\n   Urgent priority · team billing · overdue by 30 min · Dana Fischer\n   https://handoff.example.com/cases/cs_2\n",
            mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("3. Where is my parcel\n   Low priority · team billing · held by Riley Reviewer", mail.PlainText, StringComparison.Ordinal);
        foreach (var id in new[] { "cs_1", "cs_2", "cs_3" })
        {
            Assert.Contains($"<a href=\"https://handoff.example.com/cases/{id}\"", mail.Html, StringComparison.Ordinal);
        }

        Assert.Contains("Cancel order A-1 &lt;today&gt;", mail.Html, StringComparison.Ordinal);
        Assert.Contains(">1 h 5 min left<", mail.Html, StringComparison.Ordinal);
        Assert.Contains(">overdue by 30 min<", mail.Html, StringComparison.Ordinal);
        Assert.True(mail.Html.IndexOf("cs_1", StringComparison.Ordinal) < mail.Html.IndexOf("cs_2", StringComparison.Ordinal));
    }

    [Fact]
    public void RenderDigest_OneCase_SaysCaseOnce_AndNoCases_IsRefused()
    {
        var one = EmailRenderer.RenderDigest([Refund()], null, new DateOnly(2026, 3, 3), "digest_usr_1_2026-03-03", Domain);

        Assert.Equal("[Handoff] 1 case waits for you (Tuesday 3 March)", one.Subject);
        Assert.DoesNotContain("Hello", one.PlainText, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => EmailRenderer.RenderDigest([], null, new DateOnly(2026, 3, 3), "digest_usr_1_2026-03-03", Domain));
    }

    internal static CaseNotice Refund() => new()
    {
        EventType = EventTypes.CaseEscalated,
        WorkspaceId = "ws_1",
        CaseId = "cs_1",
        Headline = "Needs a person",
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
        Link = "https://handoff.example.com/cases/cs_1",
        At = At,
    };
}
