using System.Text.Encodings.Web;
using System.Text.Json;
using Handoff.Server.Dashboard.Shared;
using Handoff.Server.Notifications;
using Handoff.Storage;
using Handoff.Storage.Outbox;
using Microsoft.AspNetCore.Components;

namespace Handoff.Server.Dashboard.Settings;

/// <summary>
/// One webhook endpoint's deliveries as the outbox holds them. Reads are confined to the signed-in person's workspace
/// and this endpoint; each replay checks again that they are an admin, and goes through the store, which audits it.
/// </summary>
public sealed partial class DeliveryLog
{
    /// <summary>Rows per page.</summary>
    internal const int PageSize = 20;

    private static readonly (DeliveryStatus? Status, string Label)[] Filters =
        [(null, "All"), (DeliveryStatus.Failed, "Failed"), (DeliveryStatus.Pending, "Pending"), (DeliveryStatus.Delivered, "Delivered")];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Inject]
    internal IHandoffStore Store { get; set; } = default!;

    [Inject]
    internal DashboardSession Session { get; set; } = default!;

    [Inject]
    internal DeliverySignal Signal { get; set; } = default!;

    [Inject]
    internal TimeProvider Time { get; set; } = default!;

    /// <summary>The endpoint whose deliveries these are.</summary>
    [Parameter, EditorRequired]
    public string EndpointId { get; set; } = "";

    /// <summary>Whether the endpoint is enabled (a replay to a disabled one would fail again).</summary>
    [Parameter]
    public bool Enabled { get; set; } = true;

    private string? _workspaceId;
    private DateTimeOffset _now;
    private DeliveryStatus? _status;
    // The cursor of each page shown so far: the first page has none, each older one the last id of the page before.
    private readonly List<string?> _cursors = [null];
    private int _page;
    private IReadOnlyList<Delivery> _rows = [];
    private bool _hasOlder;
    private readonly Dictionary<string, string?> _cases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<DeliveryAttempt>> _attempts = new(StringComparer.Ordinal);
    private DateTime? _since;
    private string? _message;
    private string? _error;

    protected override async Task OnInitializedAsync()
    {
        var user = await Session.UserAsync();
        if (user is null)
        {
            return;
        }

        _workspaceId = user.WorkspaceId;
        var now = Time.GetUtcNow();
        // A day back, to the minute: what the time field can show.
        _since = new DateTime(now.UtcDateTime.AddDays(-1).Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, DateTimeKind.Unspecified);
        await LoadAsync();
    }

    internal static string StatusName(DeliveryStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The body as indented JSON; as it was sent when it is not JSON.</summary>
    private static string Pretty(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private async Task LoadAsync()
    {
        if (_workspaceId is null)
        {
            return;
        }

        _now = Time.GetUtcNow();
        var page = await Store.ListDeliveriesAsync(_workspaceId,
            new DeliveryQuery(DeliveryChannels.Webhook, EndpointId, _status, _cursors[_page], PageSize + 1));
        _rows = [.. page.Take(PageSize)];
        _hasOlder = page.Count > PageSize;
        foreach (var caseId in _rows.Select(d => d.CaseId).OfType<string>().Distinct(StringComparer.Ordinal).Where(id => !_cases.ContainsKey(id)).ToList())
        {
            _cases[caseId] = (await Store.GetCaseAsync(_workspaceId, caseId))?.Content.Summary;
        }

        // Rows still open are read again (a replay, or the worker, may have added attempts); the rest are let go.
        foreach (var id in _attempts.Keys.ToList())
        {
            if (_rows.Any(d => d.Id == id))
            {
                _attempts[id] = await Store.ListDeliveryAttemptsAsync(_workspaceId, id);
            }
            else
            {
                _attempts.Remove(id);
            }
        }
    }

    private async Task RefreshAsync()
    {
        _message = _error = null;
        await LoadAsync();
    }

    private async Task FilterAsync(DeliveryStatus? status)
    {
        _status = status;
        _cursors.RemoveRange(1, _cursors.Count - 1);
        _page = 0;
        await RefreshAsync();
    }

    private async Task OlderAsync()
    {
        if (!_hasOlder || _rows.Count == 0)
        {
            return;
        }

        _cursors.RemoveRange(_page + 1, _cursors.Count - _page - 1);
        _cursors.Add(_rows[^1].Id);
        _page++;
        await RefreshAsync();
    }

    private async Task NewerAsync()
    {
        if (_page == 0)
        {
            return;
        }

        _page--;
        await RefreshAsync();
    }

    private async Task ToggleAsync(Delivery delivery)
    {
        if (_attempts.Remove(delivery.Id) || _workspaceId is null)
        {
            return;
        }

        _attempts[delivery.Id] = await Store.ListDeliveryAttemptsAsync(_workspaceId, delivery.Id);
    }

    private async Task ReplayAsync(Delivery delivery)
    {
        _message = _error = null;
        if (await Session.AdminAsync() is not { } admin)
        {
            _error = "Only an admin can replay deliveries.";
            return;
        }

        // Named by id, and by this endpoint too: a delivery of another endpoint or workspace is never touched from here.
        var count = await Store.ReplayDeliveriesAsync(admin.WorkspaceId,
            new DeliveryReplay(delivery.Id, DeliveryChannels.Webhook, EndpointId), DashboardSession.ActorOf(admin), Time.GetUtcNow());
        if (count > 0)
        {
            Signal.Set();
            _message = $"Replaying the {delivery.EventType} delivery of {Show.Moment(delivery.CreatedAt, Time.GetUtcNow(), seconds: true)}: it is pending, due now.";
        }
        else
        {
            _error = "That delivery is no longer failed, so it was not sent again.";
        }

        await LoadAsync();
    }

    private async Task ReplayAllAsync()
    {
        _message = _error = null;
        if (await Session.AdminAsync() is not { } admin)
        {
            _error = "Only an admin can replay deliveries.";
            return;
        }

        if (_since is not { } since)
        {
            _error = "Give the time to replay failed deliveries from.";
            return;
        }

        // The field has no zone; like every time on the dashboard it is read as UTC.
        var from = new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Unspecified), TimeSpan.Zero);
        var count = await Store.ReplayDeliveriesAsync(admin.WorkspaceId,
            new DeliveryReplay(null, DeliveryChannels.Webhook, EndpointId, from), DashboardSession.ActorOf(admin), Time.GetUtcNow());
        if (count > 0)
        {
            Signal.Set();
        }

        var when = Show.Moment(from, Time.GetUtcNow());
        _message = count switch
        {
            0 => $"No failed delivery of this endpoint was created since {when}; nothing was sent again.",
            1 => $"Replaying 1 failed delivery created since {when}: it is pending, due now.",
            _ => $"Replaying {count} failed deliveries created since {when}: they are pending, due now.",
        };
        await LoadAsync();
    }
}
