using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Server.Cases;
using Handoff.Server.Dashboard;
using Handoff.Server.Events;
using Handoff.Storage;
using Microsoft.Playwright;

namespace Handoff.OfferLatency;

/// <summary>
/// One run: a server on a fresh SQLite file, a push team with one reviewer signed in in Chromium, then for each
/// iteration an agent submits a case that needs a person, the offer rings as a toast in the reviewer's page, the
/// reviewer presses <c>y</c>, and the case is theirs. Iterations run one at a time, with a pause between them, so each
/// measures an idle server; the reviewer then approves the case (outside the timing) so that their load stays at zero.
/// </summary>
internal static class OfferLatencyRun
{
    private const string Password = "correct horse battery staple";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private const string Policy = """
        defaults: { team: billing, mode: queue }
        rules:
          - id: refunds
            when: { facts.amount: { gt: 1000 } }
            outcome: review
            reason: Refunds above 1,000 need a person.
        """;

    public static async Task<OfferLatencyResult> RunAsync(int iterations, int warmup, TimeSpan pause)
    {
        await using var server = await BenchServer.StartAsync();
        var (workspaceId, agentKey) = await server.NewWorkspaceAsync();
        await server.AddTeamAsync(new Team { WorkspaceId = workspaceId, Name = "billing", DisplayName = "Billing", AcceptTimeout = TimeSpan.FromMinutes(2) });
        await server.PublishPolicyAsync(workspaceId, Policy);
        var email = $"ana.{Guid.NewGuid().ToString("N")[..8]}@example.com";
        var ana = await server.AddPersonAsync(workspaceId, email, "Ana Approver", Password, "billing");

        using var agent = new HttpClient { BaseAddress = server.Address, Timeout = Patience };
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", agentKey);
        await using var reviewer = await ReviewerBrowser.SignInAsync(server.Address, email, Password);
        using var clock = new CaseClock(server.Services.GetRequiredService<CaseNotifier>(), workspaceId);
        var cases = server.Services.GetRequiredService<CaseService>();

        var result = new OfferLatencyResult();
        for (var i = 0; i < warmup + iterations; i++)
        {
            var sample = await OnceAsync(i, server, workspaceId, ana, agent, reviewer, clock, cases);
            if (i >= warmup)
            {
                result.Add(sample);
            }

            await Task.Delay(pause);
        }

        return result;
    }

    private static async Task<Sample> OnceAsync(
        int i, BenchServer server, string workspaceId, User ana, HttpClient agent, ReviewerBrowser reviewer, CaseClock clock, CaseService cases)
    {
        var body = Refund(2500 + i, $"B-{1000 + i}");

        var submitted = Clock.NowMs();
        using var response = await agent.PostAsync("/v1/cases", new StringContent(body, Encoding.UTF8, "application/json"));
        var answered = Clock.NowMs();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"submit answered {(int)response.StatusCode}");
        }

        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await reviewer.Page.Locator($"#offer[data-case='{id}']").WaitForAsync(new() { State = WaitForSelectorState.Visible });
        var (toastInDom, toastFrame) = await reviewer.OfferTimesAsync(id);

        // The offer as the API shows it, read while it rings (not timed).
        var offered = await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}");
        if (!offered.TryGetProperty("offer", out var offer) || offer.GetProperty("to").GetProperty("id").GetString() != ana.Id)
        {
            throw new InvalidOperationException($"case {id} rings in the page but the API shows no offer to the reviewer");
        }

        var pressed = Clock.NowMs();
        await reviewer.Page.Keyboard.PressAsync("y");
        var stamps = await clock.WaitForAsync(id, 3, Patience);
        // Accepting opens the case: a navigation inside the circuit (history.pushState), which Playwright's WaitForURL
        // sometimes misses when it happened before the wait began, so the page's own location is asked.
        await reviewer.Page.WaitForFunctionAsync("id => location.pathname === '/cases/' + id", id);
        var keyDown = await reviewer.KeyDownTimeAsync();

        // Assigned to the reviewer, as the API says, and by the expected steps, as the audit log says.
        var view = await agent.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}");
        if (view.GetProperty("status").GetString() != "assigned" || view.GetProperty("assignedTo").GetProperty("id").GetString() != ana.Id)
        {
            throw new InvalidOperationException($"case {id} is not assigned to the reviewer: {view}");
        }

        var history = await server.Store.GetCaseHistoryAsync(workspaceId, id);
        string[] expected = ["case.created", "case.offered", "case.accepted"];
        if (!history.Select(static e => e.Action).SequenceEqual(expected))
        {
            throw new InvalidOperationException($"case {id} went {string.Join(", ", history.Select(static e => e.Action))}");
        }

        // The reviewer finishes the case, so that the next one finds them with no load (not timed).
        var (update, invalid) = await cases.DecideAsync(
            workspaceId, id, new DecisionRequest(Verdict.Approve), DashboardSession.ActorOf(ana), DashboardSession.RoleOf(ana), CancellationToken.None);
        if (invalid is not null || update?.Status != CaseUpdateStatus.Updated)
        {
            throw new InvalidOperationException($"could not decide case {id}: {update?.Status}");
        }

        return new Sample(
            SubmitAnswered: answered - submitted,
            OfferCommitted: stamps[1] - submitted,
            ToastInDom: toastInDom - submitted,
            ToastFrame: toastFrame - submitted,
            KeyToAccepted: stamps[2] - keyDown,
            PressToAccepted: stamps[2] - pressed,
            Total: stamps[2] - submitted,
            ServerCreatedToOffered: (history[1].At - history[0].At).TotalMilliseconds,
            CreatedCommitted: stamps[0] - submitted,
            // The offer's audit time is the router's clock once it has read the workspace, just before it writes. The
            // router hears of the case (CaseNotifier.WorkspaceChanged) a moment before this benchmark's subscription
            // does, so on an idle machine this can come out a little below zero.
            RouterWakeAndRead: UnixMs(history[1].At) - stamps[0],
            OfferWrite: stamps[1] - UnixMs(history[1].At));
    }

    private static double UnixMs(DateTimeOffset at) => (at - DateTimeOffset.UnixEpoch).TotalMilliseconds;

    private static string Refund(int amount, string order) => $$"""
        {"kind":"action","summary":"Refund {{amount.ToString("N0", CultureInfo.InvariantCulture)}} for a broken espresso machine",
         "channel":"email","subject":{"id":"cust-{{order}}","name":"Tom Baker","plan":"business"},"facts":{"amount":{{amount}},"orderId":"{{order}}"},
         "conversation":[{"role":"customer","text":"The machine arrived broken. I want my money back."}],
         "proposal":{"text":"I have refunded {{amount}} to your card.","action":{"name":"issue_refund","arguments":{"orderId":"{{order}}","amount":{{amount}} } },"confidence":0.9},
         "expiresIn":"1h"}
        """;
}
