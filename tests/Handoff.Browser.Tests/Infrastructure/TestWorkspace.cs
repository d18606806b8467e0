using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Cases;
using Handoff.Server.Accounts;
using Handoff.Server.Auth;
using Handoff.Storage;

namespace Handoff.Browser.Tests.Infrastructure;

/// <summary>One test's workspace: its people, and an agent that posts cases and waits for decisions over HTTP.</summary>
internal sealed class TestWorkspace : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly DashboardServer _server;
    private readonly HttpClient _agent;
    private readonly List<HttpClient> _keyed = [];

    public TestWorkspace(DashboardServer server, string id, string agentKey)
    {
        _server = server;
        Id = id;
        // Longer than any long-poll a test makes (wait=30).
        _agent = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(45) };
        _agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", agentKey);
    }

    public string Id { get; }

    /// <summary>Adds an account the way <c>handoff users add</c> does; the email is unique to this test.</summary>
    public async Task<Person> AddPersonAsync(string name, UserRole role, params string[] teams)
    {
        var email = $"{name.Split(' ')[0].ToLowerInvariant()}.{Guid.NewGuid().ToString("N")[..8]}@example.com";
        var accounts = _server.Services.GetRequiredService<AccountService>();
        var (user, problem) = await accounts.AddAsync(new NewAccount(Id, email, name, role, teams, Password),
            Actor.Cli("browser tests"), first: false, CancellationToken.None);
        Assert.True(user is not null, problem);
        return new Person(email, name, Password);
    }

    /// <summary>Adds a team to this workspace, as an admin does on the Teams page.</summary>
    public async Task AddTeamAsync(Team team)
    {
        var result = await _server.Store.AddTeamAsync(team with { WorkspaceId = Id }, Actor.Cli("browser tests"), CancellationToken.None);
        Assert.Equal(TeamResultStatus.Done, result.Status);
    }

    /// <summary>The person's routing profile, set as <c>handoff users set</c> does.</summary>
    public async Task SetProfileAsync(Person person, UserChanges changes)
    {
        var user = await _server.Store.FindUserByEmailAsync(person.Email, CancellationToken.None);
        Assert.NotNull(await _server.Store.UpdateUserAsync(Id, user!.Id, changes, Actor.Cli("browser tests"), CancellationToken.None));
    }

    /// <summary>The person's presence as stored.</summary>
    public async Task<PersonPresence> PresenceAsync(Person person)
    {
        var user = await _server.Store.FindUserByEmailAsync(person.Email, CancellationToken.None);
        return (await _server.Store.GetPresenceAsync(Id, user!.Id, CancellationToken.None))!;
    }

    /// <summary>Publishes a policy for this workspace, as an admin does; call it before the first submission.</summary>
    public async Task PublishPolicyAsync(string yaml)
    {
        var (published, problems, _) = await _server.Services.GetRequiredService<Server.Policies.PolicyService>()
            .PublishAsync(Id, yaml, Actor.Cli("browser tests"), CancellationToken.None);
        Assert.True(published is not null, string.Join("; ", problems));
    }

    /// <summary>Posts a case as the agent does and returns its id; it must wait for a person.</summary>
    public async Task<string> SubmitPendingAsync(JsonObject body)
    {
        var created = await SubmitAsync(body);
        Assert.Equal("pending", created.GetProperty("status").GetString());
        return created.GetProperty("id").GetString()!;
    }

    /// <summary>Posts a case as the agent does and returns the server's answer (the case as created), whatever became of it.</summary>
    public async Task<JsonElement> SubmitAsync(JsonObject body)
    {
        using var response = await _agent.PostAsJsonAsync("/v1/cases", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// A client of the HTTP API with an API key of its own of <paramref name="role"/> in this workspace, as an admin's
    /// script or a reviewer's tool holds one; closed with the workspace.
    /// </summary>
    public async Task<HttpClient> KeyedClientAsync(ApiKeyRole role, string name)
    {
        var key = await ApiKeys.IssueInAsync(_server.Store, Id, role, name, Actor.Cli("browser tests"), TimeProvider.System);
        // A guard against a hang, not a speed check: training the learned gate (POST /v1/learning/gate/train) has
        // taken over 45 s while every test project shares the CI machine's two cores.
        var client = new HttpClient { BaseAddress = _server.Address, Timeout = TimeSpan.FromSeconds(150) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        _keyed.Add(client);
        return client;
    }

    /// <summary>Long-polls for the decision as an agent does: <c>GET /v1/cases/{id}/decision?wait=30</c>.</summary>
    public async Task<JsonElement> WaitForDecisionAsync(string caseId)
    {
        using var response = await _agent.GetAsync($"/v1/cases/{caseId}/decision?wait=30", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("decision");
    }

    /// <summary>Reports what the agent did with an approved case: <c>POST /v1/cases/{id}/receipt</c>; returns the answer's status.</summary>
    public async Task<HttpStatusCode> ReportReceiptAsync(string caseId, object receipt)
    {
        using var response = await _agent.PostAsJsonAsync($"/v1/cases/{caseId}/receipt", receipt, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>Posts a message to the case's transcript as the agent does (role customer or agent); returns the answer's status.</summary>
    public async Task<HttpStatusCode> PostMessageAsync(string caseId, string role, string text)
    {
        using var response = await _agent.PostAsJsonAsync($"/v1/cases/{caseId}/messages", new { role, text }, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>Long-polls for the transcript's messages after <paramref name="after"/>: <c>GET /v1/cases/{id}/messages?after=N&amp;wait=30</c>.</summary>
    public async Task<JsonElement> WaitForMessagesAsync(string caseId, int after)
    {
        using var response = await _agent.GetAsync($"/v1/cases/{caseId}/messages?after={after}&wait=30", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>The person's account as the store has it.</summary>
    public async Task<User> UserAsync(Person person)
    {
        var user = await _server.Store.FindUserByEmailAsync(person.Email, CancellationToken.None);
        Assert.NotNull(user);
        return user;
    }

    /// <summary>
    /// Puts a bell notice for <paramref name="person"/> in the outbox, as a notification rule does: a <c>dashboard</c>
    /// delivery whose target is their user id (in <paramref name="workspaceId"/>, this workspace by default). It is
    /// sent by the next <see cref="DeliverAsync"/>.
    /// </summary>
    public async Task NoticeAsync(Person person, Server.Notifications.DashboardNotice notice, string? workspaceId = null)
    {
        var user = await UserAsync(person);
        await _server.Store.AddDeliveriesAsync(
            [new Storage.Outbox.NewDelivery($"evt_{Guid.NewGuid():N}", notice.EventType, workspaceId ?? Id, notice.CaseId, Server.Notifications.DashboardChannel.Name, user.Id, notice.ToJson())],
            CancellationToken.None);
    }

    /// <summary>
    /// Sends what the outbox holds due, as the server's delivery worker does: leased, sent through its channel (a
    /// dashboard delivery wakes the person's open dashboards), and completed as delivered.
    /// </summary>
    public async Task DeliverAsync()
    {
        var worker = ActivatorUtilities.CreateInstance<Server.Notifications.DeliveryWorker>(_server.Services);
        // Other tests' notices (the people route's) may be due too, more than one lease takes: send until none is.
        var sent = 0;
        for (int n; (n = await worker.DeliverDueAsync(TestContext.Current.CancellationToken)) > 0;)
        {
            sent += n;
        }

        Assert.True(sent > 0, "nothing was due to deliver");
    }

    public Task<IReadOnlyList<Core.Audit.AuditEntry>> HistoryAsync(string caseId) => _server.Store.GetCaseHistoryAsync(Id, caseId);

    public void Dispose()
    {
        _agent.Dispose();
        foreach (var client in _keyed)
        {
            client.Dispose();
        }
    }
}
