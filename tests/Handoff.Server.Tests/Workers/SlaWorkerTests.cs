using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Server.Events;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Workers;

/// <summary>
/// The real host's <see cref="Server.Workers.SlaWorker"/> acting on cases submitted through the API under a policy
/// with SLAs: warning, breach, each ladder rung, and due times in a team's working hours across a DST change. Time is
/// the server's FakeTimeProvider; the tests wait (bounded) only for the worker's pass, never for time to pass.
/// </summary>
public sealed class SlaWorkerTests
{
    // HighValue (amount 1,450) fires this rule: team billing, a 1h SLA, warned at 80 % (48 minutes).
    private const string Policy = """
        defaults:
          slaWarnAt: 0.8
          onBreach:
            - { after: 0s, action: raisePriority }
            - { after: 30m, action: overflow }
            - { after: 1h, action: supervisor }
            - { after: 2h, action: timeout }
        rules:
          - id: big-refund
            when: { facts.amount: { gt: 1000 } }
            outcome: review
            team: billing
            sla: 1h
            reason: Refunds above 1,000 need review.
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_WithAnSla_StoresTheDueAndWarningTimes()
    {
        await using var server = await StartAsync(Policy);
        var submittedAt = server.Time.GetUtcNow();

        var (workspaceId, id) = await SubmitAsync(server);

        var sla = (await server.Store.GetCaseAsync(workspaceId, id, Ct))!.Sla!;
        Assert.Equal((submittedAt.AddMinutes(48), submittedAt.AddHours(1)), (sla.WarnAt, sla.DueAt));
        Assert.Equal([submittedAt.AddHours(1), submittedAt.AddHours(1.5), submittedAt.AddHours(2), submittedAt.AddHours(3)], sla.Ladder.Select(static r => r.At));
    }

    [Fact]
    public async Task CaseView_ShowsTheSlaWithItsStateAndSecondsLeft()
    {
        await using var server = await StartAsync(Policy);
        var agent = server.Client(server.AgentKey);
        var submittedAt = server.Time.GetUtcNow();
        var created = await TestCases.SubmitAsync(agent, TestCases.HighValue());
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(("ok", 3600), (created.GetProperty("sla").GetProperty("state").GetString(), created.GetProperty("sla").GetProperty("leftSeconds").GetInt64()));
        Assert.Equal(submittedAt.AddHours(1), created.GetProperty("sla").GetProperty("dueAt").GetDateTimeOffset());

        server.Time.Advance(TimeSpan.FromMinutes(50));
        var warning = (await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}", Ct)).GetProperty("sla");
        Assert.Equal(("warning", 600), (warning.GetProperty("state").GetString(), warning.GetProperty("leftSeconds").GetInt64()));

        server.Time.Advance(TimeSpan.FromMinutes(15));
        var breached = (await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}", Ct)).GetProperty("sla");
        Assert.Equal(("breached", -300), (breached.GetProperty("state").GetString(), breached.GetProperty("leftSeconds").GetInt64()));

        var auto = await TestCases.SubmitAsync(agent, TestCases.Auto());
        Assert.False(auto.TryGetProperty("sla", out _));
    }

    [Fact]
    public async Task Warning_AtTheWarnShare_IsLoggedOnceAndWakesTheDashboards()
    {
        await using var server = await StartAsync(Policy);
        var (workspaceId, id) = await SubmitAsync(server);
        var woken = new TaskCompletionSource();
        using var feed = server.App.Services.GetRequiredService<CaseNotifier>().Subscribe(workspaceId, changed =>
        {
            if (changed == id)
            {
                woken.TrySetResult();
            }
        });

        server.Time.Advance(TimeSpan.FromMinutes(48));
        var warned = await UntilAsync(server, async () => await server.Store.GetCaseAsync(workspaceId, id, Ct) is { Sla.WarnedAt: not null } c ? c : null);

        Assert.Null(warned.Sla!.BreachedAt);
        await woken.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var history = await server.Store.GetCaseHistoryAsync(workspaceId, id, Ct);
        Assert.Equal(["case.created", "case.slaWarning"], history.Select(static e => e.Action));
    }

    [Fact]
    public async Task Ladder_PastTheDueTime_BreachesThenClimbsEachRungOnce()
    {
        await using var server = await StartAsync(Policy);
        var workspaceId = (await server.Store.FindWorkspaceAsync("default", Ct))!.Id;
        var lead = await server.Store.AddUserAsync(
            new NewUser(workspaceId, "lead@example.com", "Lea", UserRole.Supervisor, ["tier-2"], "x"), Actor.Cli("t"), Ct);
        await server.Store.AddTeamAsync(new Team { WorkspaceId = workspaceId, Name = "tier-2", DisplayName = "Tier 2", SupervisorId = lead!.Id }, Actor.Cli("t"), Ct);
        await server.Store.AddTeamAsync(new Team { WorkspaceId = workspaceId, Name = "billing", DisplayName = "Billing", OverflowTeam = "tier-2" }, Actor.Cli("t"), Ct);
        var (_, id) = await SubmitAsync(server);
        var agent = server.Client(server.AgentKey);

        server.Time.Advance(TimeSpan.FromHours(1));
        var raised = await UntilAsync(server, async () => await server.Store.GetCaseAsync(workspaceId, id, Ct) is { Sla.BreachedAt: not null } c ? c : null);
        Assert.Equal(Priority.High, raised.Evaluation.Priority);
        Assert.Equal("billing", raised.Evaluation.Team);

        server.Time.Advance(TimeSpan.FromMinutes(30));
        var moved = await UntilAsync(server, async () => await server.Store.GetCaseAsync(workspaceId, id, Ct) is { Evaluation.Team: "tier-2" } c ? c : null);
        Assert.Equal(raised.Sla!.DueAt, moved.Sla!.DueAt);
        Assert.Null(moved.AssignedTo);

        server.Time.Advance(TimeSpan.FromMinutes(30));
        var supervised = await UntilAsync(server, async () => await server.Store.GetCaseAsync(workspaceId, id, Ct) is { AssignedTo: not null } c ? c : null);
        Assert.Equal((lead.Id, CaseStatus.Escalated), (supervised.AssignedTo!.Id, supervised.Status));

        // An escalated case's long-poll answers 202 at any wake, so the agent reads the decision once it is there.
        server.Time.Advance(TimeSpan.FromHours(1));
        await UntilAsync(server, async () => await server.Store.GetCaseAsync(workspaceId, id, Ct) is { Status: CaseStatus.Rejected } c ? c : null);
        var body = await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}/decision", Ct);
        Assert.Equal("rejected", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("decision").GetProperty("timedOut").GetBoolean());

        // The supervisor has no dashboard open, so their claim may also have gone back to the queue (case.released)
        // meanwhile, as any absent person's would.
        var history = await server.Store.GetCaseHistoryAsync(workspaceId, id, Ct);
        Assert.Equal(
            ["case.created", "case.slaWarning", "case.slaBreached", "case.slaStep", "case.slaStep", "case.slaStep", "case.expired"],
            history.Select(static e => e.Action).Where(static a => a != "case.released"));
        Assert.Null(await server.Store.GetNextSlaEventAsync(Ct));
    }

    [Fact]
    public async Task DueTime_InBerlinBusinessHoursAcrossSpringForward_IsMondayElevenLocal()
    {
        // 09:00-17:00 on weekdays in Berlin; clocks go forward on Sunday 28 March 2027 (CET +1 → CEST +2).
        await using var server = await StartAsync("""
            rules:
              - id: big-refund
                when: { facts.amount: { gt: 1000 } }
                outcome: review
                team: billing
                sla: 4h
                reason: Refunds above 1,000 need review.
            """);
        var workspaceId = (await server.Store.FindWorkspaceAsync("default", Ct))!.Id;
        var weekdays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };
        await server.Store.AddTeamAsync(new Team
        {
            WorkspaceId = workspaceId,
            Name = "billing",
            DisplayName = "Billing",
            WorkingHours = new WorkingHours("Europe/Berlin", [.. weekdays.Select(static d => new WeeklyHours(d, new TimeOnly(9, 0), new TimeOnly(17, 0)))], []),
        }, Actor.Cli("t"), Ct);
        // Friday 26 March 2027, 15:00 in Berlin (CET) is 14:00 UTC.
        server.Time.SetUtcNow(new DateTimeOffset(2027, 3, 26, 14, 0, 0, TimeSpan.Zero));

        var (_, id) = await SubmitAsync(server);

        // Two working hours on Friday, two on Monday: due Monday 11:00 CEST (09:00 UTC); warned at 80 %, 3h12m in,
        // Monday 10:12 CEST (08:12 UTC).
        var sla = (await server.Store.GetCaseAsync(workspaceId, id, Ct))!.Sla!;
        Assert.Equal(new DateTimeOffset(2027, 3, 29, 11, 0, 0, TimeSpan.FromHours(2)), sla.DueAt);
        Assert.Equal(new DateTimeOffset(2027, 3, 29, 10, 12, 0, TimeSpan.FromHours(2)), sla.WarnAt);
        Assert.Equal(sla.WarnAt, await server.Store.GetNextSlaEventAsync(Ct));

        // Over the weekend nothing happens; on Monday at 11:00 it is breached.
        server.Time.SetUtcNow(new DateTimeOffset(2027, 3, 29, 9, 0, 0, TimeSpan.Zero));
        var breached = await UntilAsync(server, async () => await server.Store.GetCaseAsync(workspaceId, id, Ct) is { Sla.BreachedAt: not null } c ? c : null);
        Assert.Equal(Priority.Normal, breached.Evaluation.Priority);
    }

    private static async Task<TestServer> StartAsync(string policy)
    {
        var server = await TestServer.StartAsync();
        using var put = await server.Client(server.AdminKey).PutAsync("/v1/policy", new StringContent(policy, Encoding.UTF8, "application/yaml"), Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return server;
    }

    private static async Task<(string WorkspaceId, string Id)> SubmitAsync(TestServer server)
    {
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey), TestCases.HighValue());
        return ((await server.Store.FindWorkspaceAsync("default", Ct))!.Id, id);
    }

    /// <summary>
    /// Reads until <paramref name="read"/> finds what the worker's pass wrote (bounded). The clock was moved before; a
    /// worker that had not yet set its timer when it moved sleeps at most its poll interval, so the clock is nudged on
    /// by a second now and then.
    /// </summary>
    private static async Task<HandoffCase> UntilAsync(TestServer server, Func<Task<HandoffCase?>> read)
    {
        for (var i = 0; i < 500; i++)
        {
            if (await read() is { } found)
            {
                return found;
            }

            if (i % 20 == 19)
            {
                server.Time.Advance(TimeSpan.FromSeconds(1));
            }

            await Task.Delay(10, Ct);
        }

        Assert.Fail("the SLA worker did not act as the clock moved on");
        return null!;
    }
}
