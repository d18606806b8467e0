using Handoff.Server.Dashboard.Shared;
using Handoff.Server.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.AspNetCore.Components;

namespace Handoff.Server.Dashboard.Settings;

/// <summary>
/// One webhook endpoint: its settings, enabling and disabling, secret rotation, deletion, and its delivery log. Every
/// write reads the signed-in person afresh (an admin still) and the endpoint afresh from their workspace; an id from
/// another workspace reads as no endpoint at all.
/// </summary>
public sealed partial class WebhookPage
{
    private static readonly (string Value, string Label)[] Overlaps =
        [("now", "stops signing now"), ("hour", "keeps signing for 1 hour"), ("day", "keeps signing for 1 day")];

    [Inject]
    internal IHandoffStore Store { get; set; } = default!;

    [Inject]
    internal DashboardSession Session { get; set; } = default!;

    [Inject]
    internal SettingsNotice Notice { get; set; } = default!;

    [Inject]
    internal NavigationManager Navigation { get; set; } = default!;

    [Inject]
    internal TimeProvider Time { get; set; } = default!;

    [Parameter]
    public string Id { get; set; } = "";

    private enum Confirm
    {
        None,
        Disable,
        Delete,
    }

    private User? _user;
    private WebhookEndpoint? _endpoint;
    private bool _loaded;
    private string? _loadedId;
    private DateTimeOffset _now;
    private WebhookForm _form = new();
    private Dictionary<string, string[]> _fieldErrors = [];
    private Confirm _confirming;
    private string _overlap = "day";
    private string? _secret;
    private string? _message;
    private string? _error;

    // Read when the address names another endpoint only: the page is rendered again for other reasons too (the
    // sign-in being checked again), and that must not throw away what the person is typing in the form.
    protected override async Task OnParametersSetAsync()
    {
        if (_loaded && _loadedId == Id)
        {
            return;
        }

        _user = await Session.UserAsync();
        if (_user is null)
        {
            return;
        }

        _loadedId = Id;
        _message = _error = _secret = null;
        _fieldErrors = [];
        _confirming = Confirm.None;

        _endpoint = await Store.GetWebhookEndpointAsync(_user.WorkspaceId, Id);
        _now = Time.GetUtcNow();
        _loaded = true;
        if (_endpoint is not null)
        {
            _form = WebhookForm.From(_endpoint);
        }
    }

    /// <summary>A secret's start and end, enough to tell two apart: "whsec_AbC…x9Q=".</summary>
    private static string Masked(string secret) => secret.Length <= 16 ? secret : $"{secret[..9]}…{secret[^4..]}";

    private void Revert()
    {
        if (_endpoint is not null)
        {
            _form = WebhookForm.From(_endpoint);
            _fieldErrors = [];
        }
    }

    /// <summary>
    /// The admin and the endpoint as they are now, or null with the reason shown: every action starts here.
    /// </summary>
    private async Task<(User Admin, WebhookEndpoint Endpoint)?> CurrentAsync()
    {
        _message = _error = null;
        if (await Session.AdminAsync() is not { } admin)
        {
            _error = "Only an admin can change webhook endpoints.";
            return null;
        }

        if (await Store.GetWebhookEndpointAsync(admin.WorkspaceId, Id) is not { } endpoint)
        {
            Gone();
            return null;
        }

        return (admin, endpoint);
    }

    private void Gone()
    {
        _endpoint = null;
        _confirming = Confirm.None;
    }

    /// <summary>Stores <paramref name="changed"/> and shows it; false when the endpoint went meanwhile.</summary>
    private async Task<bool> UpdateAsync(User admin, WebhookEndpoint changed)
    {
        var updated = await Store.UpdateWebhookEndpointAsync(changed, DashboardSession.ActorOf(admin));
        _now = Time.GetUtcNow();
        if (updated is null)
        {
            Gone();
            return false;
        }

        _endpoint = updated;
        return true;
    }

    private async Task SaveAsync()
    {
        var (settings, errors) = _form.Check();
        _fieldErrors = errors;
        if (settings is null || await CurrentAsync() is not var (admin, current))
        {
            return;
        }

        if (await UpdateAsync(admin, current with { Url = settings.Url, Description = settings.Description, EventTypes = settings.EventTypes }))
        {
            _form = WebhookForm.From(_endpoint!);
            _message = "Saved. Events from now on go by these settings.";
        }
    }

    private async Task SetEnabledAsync(bool enabled)
    {
        _confirming = Confirm.None;
        if (await CurrentAsync() is not var (admin, current))
        {
            return;
        }

        // As PATCH /v1/webhooks/{id} with enabled: disabling keeps the first time and reason; the reason names the
        // person, which is how the pages tell an admin's disabling from Handoff's own (EndpointStatus).
        var changed = enabled
            ? current with { DisabledAt = null, DisabledReason = null }
            : current with
            {
                DisabledAt = current.DisabledAt ?? Time.GetUtcNow(),
                DisabledReason = current.DisabledAt is null ? EndpointStatus.ByPersonPrefix + admin.Name : current.DisabledReason,
            };
        if (await UpdateAsync(admin, changed))
        {
            _message = enabled
                ? "Enabled: Handoff posts its events again. Replay the deliveries that failed meanwhile from the log below."
                : "Disabled: nothing is sent to it until it is enabled again.";
        }
    }

    private async Task RotateAsync()
    {
        var overlap = _overlap switch
        {
            "now" => TimeSpan.Zero,
            "hour" => TimeSpan.FromHours(1),
            "day" => TimeSpan.FromDays(1),
            _ => (TimeSpan?)null,
        };
        if (overlap is null)
        {
            _error = "Choose how long the current secret keeps signing.";
            return;
        }

        if (await CurrentAsync() is not var (admin, current))
        {
            return;
        }

        var now = Time.GetUtcNow();
        if (await UpdateAsync(admin, current with { Secrets = WebhookSecrets.Rotate(current.Secrets, now, overlap.Value) }))
        {
            // The new secret lives in this component's state only, until the person dismisses it or leaves the page.
            _secret = _endpoint!.Secrets[0].Secret;
            _message = overlap == TimeSpan.Zero
                ? "Rotated: the new secret signs alone from now on."
                : $"Rotated: the previous secret also signs until {Show.Moment(now + overlap.Value, now)}.";
        }
    }

    private async Task DeleteAsync()
    {
        _confirming = Confirm.None;
        if (await CurrentAsync() is not var (admin, current))
        {
            return;
        }

        if (!await Store.RemoveWebhookEndpointAsync(admin.WorkspaceId, current.Id, DashboardSession.ActorOf(admin)))
        {
            Gone();
            return;
        }

        Notice.Tell($"Deleted the endpoint {current.Url}; its deliveries not yet sent are cancelled.");
        Navigation.NavigateTo("/settings/webhooks");
    }
}
