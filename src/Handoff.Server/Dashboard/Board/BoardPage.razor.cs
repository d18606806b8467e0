using Handoff.Core.Cases;
using Handoff.Core.Routing;
using Handoff.Server.Cases;
using Handoff.Server.Dashboard.Shared;
using Handoff.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;

namespace Handoff.Server.Dashboard.Board;

/// <summary>
/// The supervisor's live board: people with presence and load, queues per team, cases at risk, offers ringing; a case
/// is handed to a person by dragging it onto them, or by key (<c>j</c>/<c>k</c> select, <c>r</c> opens the picker).
/// It follows case changes as they happen and re-reads every few seconds for presence, which has no signal.
/// </summary>
public sealed partial class BoardPage
{
    /// <summary>How often the board re-reads what changes without a signal (presence turning away).</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    [Inject]
    internal IHandoffStore Store { get; set; } = default!;

    [Inject]
    internal DashboardSession Session { get; set; } = default!;

    [Inject]
    internal CaseHandover Handover { get; set; } = default!;

    protected override IReadOnlyList<string> Keys { get; } = ["j", "k", "r", "Escape"];

    private User? _user;
    private BoardSnapshot? _board;
    private string? _selected;
    private HandoffCase? _picking;
    private string? _filter;
    private string? _note;
    private int _highlight;
    private string? _message;
    private string? _error;
    private DotNetObjectReference<BoardPage>? _reference;

    protected override async Task OnInitializedAsync()
    {
        _user = await Session.UserAsync();
        if (_user is null)
        {
            return;
        }

        Follow(_user.WorkspaceId);
        Poll(PollInterval);
        await LoadAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        await base.OnAfterRenderAsync(firstRender);
        if (firstRender && RendererInfo.IsInteractive)
        {
            _reference = DotNetObjectReference.Create(this);
            await JS.InvokeVoidAsync("handoff.board", _reference);
        }
    }

    protected override Task OnCasesChangedAsync(IReadOnlySet<string>? caseIds) => LoadAsync();

    private async Task LoadAsync()
    {
        if (_user is null)
        {
            return;
        }

        _board = await BoardSnapshot.ReadAsync(Store, _user.WorkspaceId, Time.GetUtcNow());
        if (_selected is not null && _board.Open.All(c => c.Id != _selected))
        {
            _selected = null;
        }

        if (_picking is not null)
        {
            // The case in the picker may have closed meanwhile; then there is nothing left to give.
            _picking = _board.Open.FirstOrDefault(c => c.Id == _picking.Id);
        }
    }

    /// <summary>A case dropped onto a person (from dashboard.js).</summary>
    [JSInvokable]
    public Task OnDrop(string caseId, string personId) => InvokeAsync(async () =>
    {
        await ReassignAsync(caseId, personId);
        StateHasChanged();
    });

    protected override async Task OnKeyAsync(string key)
    {
        if (_board is not { } b)
        {
            return;
        }

        switch (key)
        {
            case "j" or "k" when _picking is null && b.Open.Count > 0:
                var index = b.Open.ToList().FindIndex(c => c.Id == _selected);
                index = index < 0 ? 0 : Math.Clamp(index + (key == "j" ? 1 : -1), 0, b.Open.Count - 1);
                _selected = b.Open[index].Id;
                break;
            case "r" when _picking is null && _selected is not null:
                OpenPicker(_selected);
                StateHasChanged();
                await JS.InvokeVoidAsync("handoff.focus", "#reassign-filter");
                break;
            case "Escape":
                ClosePicker();
                break;
        }

        StateHasChanged();
    }

    private void OpenPicker(string caseId)
    {
        _picking = _board?.Open.FirstOrDefault(c => c.Id == caseId);
        _selected = caseId;
        _filter = _note = null;
        _highlight = 0;
        _error = null;
    }

    private void ClosePicker() => _picking = null;

    /// <summary>The people the picker offers, filtered by what was typed: online first, as the board lists them.</summary>
    private List<BoardPerson> Choices() => _board is null
        ? []
        : [.. _board.People.Where(p => string.IsNullOrWhiteSpace(_filter) || p.User.Name.Contains(_filter.Trim(), StringComparison.CurrentCultureIgnoreCase))];

    private async Task OnPickerKeyAsync(KeyboardEventArgs e)
    {
        var choices = Choices();
        switch (e.Key)
        {
            case "ArrowDown":
                _highlight = Math.Min(_highlight + 1, Math.Max(0, choices.Count - 1));
                break;
            case "ArrowUp":
                _highlight = Math.Max(_highlight - 1, 0);
                break;
            case "Enter" when _picking is { } picking && choices.Count > 0:
                await ReassignAsync(picking.Id, choices[Math.Min(_highlight, choices.Count - 1)].User.Id);
                break;
            case "Escape":
                ClosePicker();
                break;
        }
    }

    private async Task ReassignAsync(string caseId, string personId)
    {
        if (_user is null)
        {
            return;
        }

        var result = await Handover.ReassignAsync(_user.WorkspaceId, caseId, personId, _picking?.Id == caseId ? _note : null, DashboardSession.ActorOf(_user), CancellationToken.None);
        _picking = null;
        (_message, _error) = result.Status switch
        {
            HandoverStatus.Done => ($"Gave “{Summary(result.Case!)}” to {result.Case!.AssignedTo?.Name}.", (string?)null),
            HandoverStatus.NotFound => (null, "That case is gone."),
            HandoverStatus.Invalid or HandoverStatus.OverCapacity => (null, result.Message),
            _ => (null, result.Case is { Status: var s } && !s.IsOpen() ? $"That case is already {Show.Name(s)}." : "That case changed meanwhile; look again."),
        };
        await LoadAsync();
    }

    private static int Count(BoardSnapshot board, Presence presence) => board.People.Count(p => p.Presence == presence);

    private static string Summary(HandoffCase c) => c.Content.Summary ?? Show.Name(c.Content.Kind);

    private static string TeamLabel(BoardTeam team) =>
        (team.DisplayName == team.Name ? team.Name : $"{team.DisplayName}") + (team.Mode is { } mode ? $" · {Show.Name(mode)}" : " · not a team");

    private string Seconds(DateTimeOffset until)
    {
        var seconds = Math.Max(0, (int)Math.Ceiling((until - Now).TotalSeconds));
        return seconds < 100 ? $"{seconds} s" : Duration(TimeSpan.FromSeconds(seconds));
    }

    private static string Pct(double share) => (share * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";

    private static string SlaText(SlaStatus sla) => sla switch
    {
        { Left: null } => "no working time left",
        { State: SlaState.Breached, Left: { } over } => $"overdue by {Pages.Overview.Duration(-over)}",
        { Left: { } left } => $"{Pages.Overview.Duration(left)} left",
    };

    private static string Duration(TimeSpan duration) => Pages.Overview.Duration(duration);

    // The script forgets the board before LivePage lets go of the rest.
    protected override async ValueTask OnDisposeAsync()
    {
        if (_reference is null)
        {
            return;
        }

        try
        {
            await JS.InvokeVoidAsync("handoff.unboard");
        }
        catch (Exception e) when (e is JSDisconnectedException or OperationCanceledException)
        {
            // The browser is gone; there is nothing to forget.
        }

        _reference.Dispose();
        _reference = null;
    }
}
