using System.Text.Json;
using Handoff.Core.Notifications;

namespace Handoff.Core.Tests.Notifications;

public sealed class EventMapTests
{
    [Theory]
    [InlineData("case.created", """{"status":"pending"}""", "case.created case.escalated")]
    [InlineData("case.created", """{"status":"escalated"}""", "case.created case.escalated")]
    [InlineData("case.created", """{"status":"approved"}""", "case.created")]
    [InlineData("case.created", """{"status":"blocked"}""", "case.created")]
    [InlineData("case.claimed", """{"status":"assigned"}""", "case.assigned")]
    [InlineData("case.executed", """{"outcome":"executed","mismatch":false}""", "case.executed")]
    [InlineData("case.executed", """{"outcome":"executed","mismatch":true}""", "case.executed execution.mismatch")]
    [InlineData("case.executionFailed", """{"outcome":"failed","mismatch":false,"reason":"down"}""", "case.executed")]
    [InlineData("case.accepted", """{"status":"assigned"}""", "case.assigned")]
    [InlineData("case.reassigned", """{"status":"assigned"}""", "case.assigned")]
    [InlineData("case.transferred", """{"status":"assigned","to":{"id":"usr_1"}}""", "case.transferred case.assigned")]
    [InlineData("case.transferred", """{"status":"pending","toTeam":"billing"}""", "case.transferred")]
    [InlineData("case.transferred", """{"status":"pending","to":null}""", "case.transferred")]
    [InlineData("case.offered", "{}", "case.offered")]
    [InlineData("case.decided", """{"verdict":"approve"}""", "case.decided")]
    [InlineData("case.expired", """{"effect":"reject"}""", "case.expired case.decided")]
    [InlineData("case.expired", """{"effect":"escalate"}""", "case.expired case.escalated")]
    [InlineData("case.slaWarning", "{}", "sla.warning")]
    [InlineData("case.slaBreached", "{}", "sla.breached")]
    [InlineData("case.slaStep", """{"step":"supervisor"}""", "case.escalated")]
    [InlineData("case.slaStep", """{"step":"overflow"}""", "case.transferred")]
    [InlineData("case.slaStep", """{"step":"raisePriority"}""", "")]
    [InlineData("case.liveFallback", "{}", "live.fallback")]
    [InlineData("case.takenOver", "{}", "case.takenOver")]
    [InlineData("case.message", """{"role":"customer"}""", "takeover.message")]
    [InlineData("case.handedBack", "{}", "case.handedBack case.decided")]
    [InlineData("autonomy.changed", "{}", "autonomy.changed")]
    [InlineData("policy.published", """{"version":3}""", "policy.published")]
    [InlineData("webhook.disabled", "{}", "endpoint.disabled")]
    [InlineData("case.released", "{}", "")]
    [InlineData("case.approval", "{}", "")]
    [InlineData("key.created", "{}", "")]
    [InlineData("presence.changed", "{}", "")]
    public void Of_AnAuditEntry_IsTheEventsItStandsFor(string action, string data, string expected)
    {
        var events = EventMap.Of(action, JsonDocument.Parse(data).RootElement);

        Assert.Equal(expected, string.Join(' ', events));
        Assert.All(events, type => Assert.True(EventTypes.IsKnown(type), type));
    }

    [Theory]
    [InlineData("case.decided", true)]
    [InlineData("sla.breached", true)]
    [InlineData("live.fallback", true)]
    [InlineData("takeover.message", true)]
    [InlineData("policy.published", false)]
    [InlineData("endpoint.disabled", false)]
    public void IsAboutACase_TellsCaseEventsFromWorkspaceEvents(string type, bool expected) =>
        Assert.Equal(expected, EventMap.IsAboutACase(type));
}
