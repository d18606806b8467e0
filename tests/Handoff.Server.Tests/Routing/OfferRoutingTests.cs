using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Core.Audit;
using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Server.Routing;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Routing;

/// <summary>
/// Push routing through the real server: a case for a push team rings for its best eligible member at once, moves on
/// when declined or unanswered, waits when nobody is eligible, and a live case falls back to the queue with the
/// expected wait the agent relays.
/// </summary>
public sealed class OfferRoutingTests
{
    private const string Policy = """
        defaults:
          team: billing
          mode: queue
          liveWait: 40s
        rules:
          - id: refunds
            when: { facts.amount: { gt: 1000 } }
            outcome: review
            skills: [refunds]
            reason: Refunds above 1,000 need a refunds specialist.
          - id: angry
            when: { facts.angry: true }
            outcome: escalate
            mode: live
            reason: An angry customer on the line gets a person now.
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_ToAPushTeam_RingsTheLeastLoadedEligibleMember_ThenTheNextWhenDeclined()
    {
        await using var server = await StartAsync();
        var (ws, ana, ben, cy) = await SeedAsync(server);
        var offers = server.App.Services.GetRequiredService<OfferService>();

        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));

        // Cy lacks the refunds skill; Ana and Ben both qualify, equally loaded and idle, so either may ring first.
        var first = await RingingAsync(server, ws, id);
        var (firstPerson, secondPerson) = first.To.Id == ana.Id ? (ana, ben) : (ben, ana);
        Assert.Contains(first.To.Id, new[] { ana.Id, ben.Id });
        Assert.Equal(first.At + TimeSpan.FromSeconds(20), first.ExpiresAt);
        Assert.Equal(CaseUpdateStatus.Conflict, (await offers.AcceptAsync(secondPerson, id, Ct)).Status);

        Assert.Equal(CaseUpdateStatus.Updated, (await offers.DeclineAsync(firstPerson, id, Ct)).Status);
        var second = await RingingAsync(server, ws, id, except: firstPerson.Id);
        Assert.Equal(secondPerson.Id, second.To.Id);
        var accepted = await offers.AcceptAsync(secondPerson, id, Ct);

        Assert.Equal((CaseUpdateStatus.Updated, CaseStatus.Assigned, secondPerson.Id), (accepted.Status, accepted.Case!.Status, accepted.Case.AssignedTo!.Id));
        var offeredTo = (await server.Store.GetCaseHistoryAsync(ws, id, Ct))
            .Where(static e => e.Action == "case.offered")
            .Select(static e => JsonDocument.Parse(e.Data).RootElement.GetProperty("to").GetProperty("id").GetString());
        Assert.Equal([firstPerson.Id, secondPerson.Id], offeredTo);
        Assert.DoesNotContain(cy.Id, offeredTo);
        Assert.True(AuditChain.Verify(await server.Store.ReadAuditAsync(0, 10_000, Ct)).Intact);
    }

    [Fact]
    public async Task Offer_NotAnsweredInTheTeamsTime_LapsesAndRingsForTheNext_AndALateAcceptIsAConflict()
    {
        await using var server = await StartAsync();
        var (ws, ana, ben, _) = await SeedAsync(server);
        var offers = server.App.Services.GetRequiredService<OfferService>();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var first = (await RingingAsync(server, ws, id)).To.Id;
        var (firstPerson, secondPerson) = first == ana.Id ? (ana, ben) : (ben, ana);

        var moved = UntilAsync(server, ws, id, c => c.Offer?.To.Id == secondPerson.Id);
        await server.AdvanceUntilAsync(moved, TimeSpan.FromSeconds(5));
        var late = await offers.AcceptAsync(firstPerson, id, Ct);

        Assert.Equal(CaseUpdateStatus.Conflict, late.Status);
        Assert.Equal(secondPerson.Id, late.Case!.Offer!.To.Id);
        Assert.Contains(firstPerson.Id, late.Case.PassedOver!);
    }

    [Fact]
    public async Task Submit_WhenNobodyIsEligible_Waits_AndRingsOnceSomeoneComesOnline()
    {
        await using var server = await StartAsync();
        var (ws, ana, ben, _) = await SeedAsync(server, online: false);
        var presence = server.App.Services.GetRequiredService<PresenceService>();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        await Task.Delay(100, Ct);
        Assert.Null((await server.Store.GetCaseAsync(ws, id, Ct))!.Offer);

        await presence.SetAsync(ws, ben.Id, Presence.Online, Router.DashboardActor(ben), Ct);

        Assert.Equal(ben.Id, (await RingingAsync(server, ws, id)).To.Id);
        Assert.NotEqual(ana.Id, ben.Id);
    }

    [Fact]
    public async Task Offer_NeverGoesToSomeoneAtCapacity()
    {
        await using var server = await StartAsync();
        var (ws, ana, ben, _) = await SeedAsync(server);
        await server.Store.UpdateUserAsync(ws, ana.Id, new UserChanges { Capacity = 1 }, Actor.Cli("t"), Ct);
        await server.Store.UpdateUserAsync(ws, ben.Id, new UserChanges { Capacity = 1 }, Actor.Cli("t"), Ct);
        var offers = server.App.Services.GetRequiredService<OfferService>();
        var agent = server.Client(server.AgentKey);
        var first = await TestCases.SubmitPendingAsync(agent);
        var firstTo = (await RingingAsync(server, ws, first)).To.Id;
        var second = await TestCases.SubmitPendingAsync(agent);
        var secondTo = (await RingingAsync(server, ws, second)).To.Id;
        Assert.NotEqual(firstTo, secondTo);
        Assert.Equal(CaseUpdateStatus.Updated, (await offers.AcceptAsync((await server.Store.GetUserAsync(ws, firstTo, Ct))!, first, Ct)).Status);

        var third = await TestCases.SubmitPendingAsync(agent);
        await Task.Delay(200, Ct);

        // One holds a case and the other's room is held by the offer ringing for them: nobody has room for a third.
        Assert.Null((await server.Store.GetCaseAsync(ws, third, Ct))!.Offer);
    }

    [Fact]
    public async Task Submit_ALiveCase_SaysLiveWithTheExpectedWait_AndFallsBackToTheQueueTellingTheAgent()
    {
        await using var server = await StartAsync();
        var (ws, _, _, _) = await SeedAsync(server);
        var body = TestCases.HighValue();
        body["facts"]!["angry"] = true;

        var created = await TestCases.SubmitAsync(server.Client(server.AgentKey), body);
        var id = created.GetProperty("id").GetString()!;
        var handling = created.GetProperty("handling");
        Assert.Equal("live", handling.GetProperty("mode").GetString());
        Assert.Equal(900, handling.GetProperty("expectedWaitSeconds").GetInt64());
        Assert.Contains("no pick-ups at team billing", handling.GetProperty("basis").GetString(), StringComparison.Ordinal);
        Assert.True((await RingingAsync(server, ws, id)).Live);

        var fellBack = UntilAsync(server, ws, id, static c => c.LiveFallbackAt is not null);
        await server.AdvanceUntilAsync(fellBack, TimeSpan.FromSeconds(5));

        var history = await server.Store.GetCaseHistoryAsync(ws, id, Ct);
        var fallback = Assert.Single(history, static e => e.Action == "case.liveFallback");
        using var data = JsonDocument.Parse(fallback.Data);
        Assert.Equal(900, data.RootElement.GetProperty("expectedWaitSeconds").GetInt64());
        Assert.False(string.IsNullOrEmpty(data.RootElement.GetProperty("basis").GetString()));
        using var events = await server.Client(server.AgentKey).GetAsync($"/v1/cases/{id}/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
    }

    [Fact]
    public async Task Submit_ALiveCaseToAPullTeam_RingsAtOnce_WhileTheQueuedCasesBesideItAreLeftToBeTaken()
    {
        await using var server = await StartAsync();
        var (ws, _, _, _) = await SeedAsync(server, mode: AssignmentMode.Pull);
        var queued = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var body = TestCases.HighValue();
        body["facts"]!["angry"] = true;

        var id = (await TestCases.SubmitAsync(server.Client(server.AgentKey), body)).GetProperty("id").GetString()!;

        // Nothing pushes in this workspace: the live case alone rings (routing passes that find nothing due skip the queue).
        Assert.True((await RingingAsync(server, ws, id)).Live);
        Assert.Null((await server.Store.GetCaseAsync(ws, queued, Ct))!.Offer);
    }

    [Fact]
    public async Task Submit_AQueuedCase_SaysQueueWithTheExpectedWait()
    {
        await using var server = await StartAsync();
        await SeedAsync(server);

        var created = await TestCases.SubmitAsync(server.Client(server.AgentKey), TestCases.HighValue());

        Assert.Equal("queue", created.GetProperty("handling").GetProperty("mode").GetString());
        Assert.True(created.GetProperty("handling").GetProperty("expectedWaitSeconds").GetInt64() > 0);
        var auto = await TestCases.SubmitAsync(server.Client(server.AgentKey), TestCases.Auto());
        Assert.False(auto.TryGetProperty("handling", out _));
    }

    [Theory]
    [InlineData(true, "live")]
    [InlineData(false, "queue")]
    public async Task Submit_InModeEither_IsLiveWhenSomeoneEligibleIsOnline_ElseQueued(bool online, string mode)
    {
        await using var server = await StartAsync(Policy.Replace("mode: queue", "mode: either", StringComparison.Ordinal));
        await SeedAsync(server, online);

        var created = await TestCases.SubmitAsync(server.Client(server.AgentKey), TestCases.HighValue());

        Assert.Equal(mode, created.GetProperty("handling").GetProperty("mode").GetString());
        Assert.Equal(online, created.GetProperty("handling").TryGetProperty("liveUntil", out _));
    }

    private static async Task<TestServer> StartAsync(string policy = Policy)
    {
        var server = await TestServer.StartAsync();
        using var put = await server.Client(server.AdminKey).PutAsync("/v1/policy", new StringContent(policy, Encoding.UTF8, "application/yaml"), Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return server;
    }

    /// <summary>A push team "billing" (20 s to accept) with Ana and Ben (refunds) and Cy (no refunds), online unless told.</summary>
    private static async Task<(string Workspace, User Ana, User Ben, User Cy)> SeedAsync(TestServer server, bool online = true, AssignmentMode mode = AssignmentMode.Push)
    {
        var ws = (await server.Store.FindWorkspaceAsync("default", Ct))!.Id;
        var cli = Actor.Cli("test");
        Assert.Equal(TeamResultStatus.Done, (await server.Store.AddTeamAsync(new Team { WorkspaceId = ws, Name = "billing", DisplayName = "Billing", AcceptTimeout = TimeSpan.FromSeconds(20), Mode = mode }, cli, Ct)).Status);
        var ana = (await server.Store.AddUserAsync(new NewUser(ws, "ana@example.com", "ana", UserRole.Reviewer, ["billing"], "h") { Skills = ["refunds"] }, cli, Ct))!;
        var ben = (await server.Store.AddUserAsync(new NewUser(ws, "ben@example.com", "ben", UserRole.Reviewer, ["billing"], "h") { Skills = ["refunds"] }, cli, Ct))!;
        var cy = (await server.Store.AddUserAsync(new NewUser(ws, "cy@example.com", "cy", UserRole.Reviewer, ["billing"], "h"), cli, Ct))!;
        if (online)
        {
            foreach (var person in new[] { ana, ben, cy })
            {
                await server.Store.SetPresenceAsync(ws, person.Id, Presence.Online, cli, Ct);
            }
        }

        return (ws, ana, ben, cy);
    }

    private static async Task<CaseOffer> RingingAsync(TestServer server, string ws, string id, string? except = null) =>
        (await UntilAsync(server, ws, id, c => c.Offer is { } o && o.To.Id != except)).Offer!;

    private static async Task<HandoffCase> UntilAsync(TestServer server, string ws, string id, Func<HandoffCase, bool> condition)
    {
        for (var i = 0; i < 500; i++)
        {
            if (await server.Store.GetCaseAsync(ws, id, Ct) is { } c && condition(c))
            {
                return c;
            }

            await Task.Delay(10, Ct);
        }

        Assert.Fail($"case {id} never reached the expected state");
        return null!;
    }
}
