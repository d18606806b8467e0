using Handoff.Core.Cases;
using Handoff.Server.Dashboard.Shared;
using Handoff.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Handoff.Server.Dashboard.Pages;

/// <summary>
/// One case, everything needed to decide it, and the decision. Opening an open case claims it for the person, so
/// that everyone else sees at once who works on it; the store decides races, and the loser is told who won.
/// </summary>
public sealed partial class CaseView
{
    private enum Mode
    {
        View,
        Edit,
        Reject,
        Respond,
        Transfer,
    }

    protected override IReadOnlyList<string> Keys { get; } = ["a", "e", "r", "t", "j", "k", "?", "Escape", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    [Parameter]
    public string Id { get; set; } = "";

    private User? _user;
    private HandoffCase? _case;
    private IReadOnlyList<Learning.Precedent>? _precedents;
    private bool _loaded;
    private Mode _mode;
    private string? _banner;
    private string? _errors;
    private bool _help;
    // Keys and clicks wait while the case loads, while a decision is stored, and after it until the next case has
    // started loading: a key meant for the case just decided must never act on the one that opens after it.
    private bool _loading;
    private bool _deciding;
    private bool _awaitingNext;
    private int _generation;
    private string? _editText;
    private List<ArgumentField> _fields = [];
    private IReadOnlyList<Change> _changes = [];
    private string? _editProblem;
    private string? _reason;
    private string? _answer;
    private string? _note;

    private string? _transferTo;
    private string? _transferNote;
    private IReadOnlyList<User> _colleagues = [];
    private IReadOnlyList<Team> _teams = [];

    [Inject]
    internal Handoff.Server.Cases.CaseHandover Handover { get; set; } = default!;

    /// <summary>Whoever holds an open case may hand it on; a supervisor or admin any open case.</summary>
    private bool CanTransfer => _case is { } c && _user is { } u && c.Status.IsOpen()
        && (c.AssignedTo?.Id == u.Id || u.Role is UserRole.Supervisor or UserRole.Admin);

    private bool CanDecide => _case is { } c && _user is { } u && c.Status.IsOpen() && (c.AssignedTo is null || c.AssignedTo.Id == u.Id);

    protected override async Task OnParametersSetAsync()
    {
        _generation++;
        _awaitingNext = false;
        _loading = true;
        _case = null;
        _loaded = false;
        _mode = Mode.View;
        _banner = _errors = null;
        _note = _reason = _answer = null;
        try
        {
            _user ??= await Session.UserAsync();
            if (_user is null)
            {
                return;
            }

            Follow(_user.WorkspaceId);
            _case = await Store.GetCaseAsync(_user.WorkspaceId, Id);
            _loaded = true;
            // Similar cases before the claim: the claim's own change notice re-renders the page, and nothing should
            // render after it.
            _precedents = _case is { } found ? await Precedents.FindAsync(found, Learning.Precedents.DefaultCount, CancellationToken.None) : null;
            // Claim only over a live circuit: the first, static render of the page must not change anything.
            if (RendererInfo.IsInteractive)
            {
                await ClaimIfFreeAsync();
            }
        }
        finally
        {
            _loading = false;
        }
    }

    private bool Busy => _loading || _deciding || _awaitingNext;

    protected override async Task OnCasesChangedAsync(IReadOnlySet<string>? caseIds)
    {
        if (_user is null || caseIds is not null && !caseIds.Contains(Id))
        {
            return;
        }

        // The page may have moved to another case while this read ran: then its result is stale.
        var (generation, id) = (_generation, Id);
        var changed = await Store.GetCaseAsync(_user.WorkspaceId, id);
        if (generation != _generation || id != Id)
        {
            return;
        }

        _case = changed;
        if (_case is { } c && !_deciding && NotMine(c, "took") is { } why)
        {
            _banner = why;
            _mode = Mode.View;
        }
    }

    private async Task ClaimIfFreeAsync()
    {
        if (_case is not { } c || !c.Status.IsOpen() || _user is null)
        {
            return;
        }

        if (NotMine(c, "is working on") is { } held)
        {
            _banner = held;
            return;
        }

        var update = await Cases.ClaimAsync(_user.WorkspaceId, Id, DashboardSession.ActorOf(_user), CancellationToken.None);
        _case = update.Case ?? _case;
        if (update.Status == CaseUpdateStatus.Conflict)
        {
            _banner = NotMine(_case, "took");
        }
        else if (update.Status == CaseUpdateStatus.OverCapacity)
        {
            // Looking is always allowed, and so is deciding (a decision holds nothing): only holding it is not.
            _banner = AtCapacity;
        }
    }

    private const string AtCapacity =
        "You hold as much as your capacity allows, so this case stays in the queue while you look; you can still decide it, or finish or release a case to take it.";

    /// <summary>Why the signed-in person can no longer act on <paramref name="c"/>, or null while they can.</summary>
    private string? NotMine(HandoffCase c, string holding) => c.Status.IsOpen()
        ? c.AssignedTo is { } holder && holder.Id != _user?.Id ? $"{holder.Name} {holding} this case." : null
        : c.Decision switch
        {
            { TimedOut: true } => "This case ran out of time.",
            { DecidedBy: { } by } when by.Id == _user?.Id => null,
            { DecidedBy: { } by } d => $"{by.Name} decided this case: {Show.Name(d.Verdict)}.",
            _ => $"This case is {Show.Name(c.Status)}.",
        };

    private Task ApproveAsync() => DecideAsync(new DecisionRequest(Verdict.Approve, Note: _note));

    private Task ChooseAsync(int index) => DecideAsync(new DecisionRequest(Verdict.Choose, Option: index, Note: _note));

    private Task RejectAsync() => DecideAsync(new DecisionRequest(Verdict.Reject, Text: _reason, Note: _note));

    private Task RespondAsync() => DecideAsync(new DecisionRequest(Verdict.Respond, Text: _answer, Note: _note));

    private Task ApproveEditAsync()
    {
        if (EditRequest() is not { } request)
        {
            return Task.CompletedTask;
        }

        return DecideAsync(request);
    }

    private DecisionRequest? EditRequest()
    {
        var proposal = _case?.Content.Proposal;
        var arguments = default(System.Text.Json.JsonElement);
        if (proposal?.Action is not null)
        {
            (arguments, _editProblem) = ArgumentField.Build(_fields);
            if (_editProblem is not null)
            {
                return null;
            }
        }

        return new DecisionRequest(Verdict.Edit, Text: proposal?.Text is null ? null : _editText, Arguments: arguments, Note: _note);
    }

    private void StartEdit()
    {
        if (_case?.Content.Proposal is not { } proposal)
        {
            return;
        }

        _editText = proposal.Text;
        _fields = proposal.Action is { } action ? ArgumentField.From(action.Arguments) : [];
        _changes = [];
        _editProblem = null;
        _mode = Mode.Edit;
    }

    // The same code that records the decision's changes shows them while the person types.
    private void PreviewEdit()
    {
        if (_case is null || _user is null || EditRequest() is not { } request)
        {
            _changes = [];
            return;
        }

        var outcome = Decisions.Make(_case, request, DashboardSession.ActorOf(_user), Time.GetUtcNow());
        _changes = outcome.Decision?.Changes ?? [];
        _editProblem = outcome.Succeeded || outcome.Errors.Count == 0 ? null : string.Join(" ", outcome.Errors.Values.SelectMany(e => e));
    }

    private async Task StartTransferAsync()
    {
        if (_user is null)
        {
            return;
        }

        _colleagues = [.. (await Store.ListUsersAsync(_user.WorkspaceId)).Where(u => u.DisabledAt is null && u.Id != _user.Id)];
        _teams = await Store.ListTeamsAsync(_user.WorkspaceId);
        _transferTo = _transferNote = null;
        _errors = null;
        _mode = Mode.Transfer;
    }

    private async Task TransferAsync()
    {
        if (Busy || _user is null || _case is not { } shown || shown.Id != Id || _transferTo is not { Length: > 0 } target)
        {
            return;
        }

        var toPerson = target.StartsWith("person:", StringComparison.Ordinal) ? target["person:".Length..] : null;
        var toTeam = target.StartsWith("team:", StringComparison.Ordinal) ? target["team:".Length..] : null;
        _deciding = true;
        try
        {
            var supervisor = _user.Role is UserRole.Supervisor or UserRole.Admin;
            var result = await Handover.TransferAsync(_user.WorkspaceId, shown.Id, toPerson, toTeam, _transferNote, DashboardSession.ActorOf(_user), supervisor, CancellationToken.None);
            if (result.Status != Handoff.Server.Cases.HandoverStatus.Done)
            {
                _errors = result.Message ?? (result.Case is { } c ? NotMine(c, "took") : null) ?? "The case changed meanwhile.";
                return;
            }

            var moved = result.Case!;
            var to = toPerson is null ? $"team {moved.Evaluation.Team}" : moved.AssignedTo?.Name ?? "them";
            Last.Tell(new DecisionNotice(moved.Id, moved.Content.Summary ?? Show.Name(moved.Content.Kind), "Transferred" + (_transferNote is { Length: > 0 } n ? $" with the note “{n}”" : ""), to));
            _awaitingNext = true;
            await OpenNextAsync();
        }
        finally
        {
            _deciding = false;
        }
    }

    private void StartReject() => _mode = Mode.Reject;

    private void StartRespond() => _mode = Mode.Respond;

    private void Cancel()
    {
        _mode = Mode.View;
        _errors = null;
    }

    private async Task DecideAsync(DecisionRequest request)
    {
        // The decision is for the case on the screen, by its own id, never for whatever the address says by now.
        if (!CanDecide || Busy || _case is not { } shown || shown.Id != Id)
        {
            return;
        }

        _deciding = true;
        var generation = _generation;
        var decided = false;
        try
        {
            var (update, invalid) = await Cases.DecideAsync(_user!.WorkspaceId, shown.Id, request, DashboardSession.ActorOf(_user), DashboardSession.RoleOf(_user), CancellationToken.None);
            if (invalid is not null)
            {
                _errors = string.Join(" ", invalid.Errors.Values.SelectMany(e => e));
                return;
            }

            if (update!.Status != CaseUpdateStatus.Updated)
            {
                _case = update.Case ?? _case;
                _banner = _case is { } c ? NotMine(c, "took") : "The case is gone.";
                _mode = Mode.View;
                return;
            }

            decided = true;
            // Told before the next case opens, so the notice is on the screen as it does.
            Last.Tell(DecisionNotice.For(update.Case!));
            await OpenNextAsync();
        }
        finally
        {
            _deciding = false;
            // Navigation may already have started loading the next case (then it is that load's to finish).
            _awaitingNext = decided && generation == _generation;
        }
    }

    private async Task ReleaseAsync()
    {
        if (Busy)
        {
            return;
        }

        // Leaving: no key may act on this case from here on.
        _awaitingNext = true;
        await Cases.ReleaseAsync(_user!.WorkspaceId, Id, DashboardSession.ActorOf(_user), CancellationToken.None);
        Navigation.NavigateTo("/");
    }

    /// <summary>Takes the conversation over: the case becomes the person's, and the agent relays instead of answering.</summary>
    private async Task TakeOverAsync()
    {
        if (!CanDecide || Busy || _case is not { } shown || shown.Id != Id)
        {
            return;
        }

        _deciding = true;
        try
        {
            var update = await Cases.TakeOverAsync(_user!.WorkspaceId, shown.Id, DashboardSession.ActorOf(_user), CancellationToken.None);
            _case = update.Case ?? _case;
            _banner = update.Status switch
            {
                CaseUpdateStatus.Updated => null,
                CaseUpdateStatus.OverCapacity => AtCapacity,
                _ => _case is { } c ? NotMine(c, "took") : "The case is gone.",
            };
        }
        finally
        {
            _deciding = false;
        }

        await JS.InvokeVoidAsync("handoff.focus", "#chat-reply");
    }

    /// <summary>The chat changed the case (a reply, a handback): show it, and after a handback tell and move on.</summary>
    private async Task TakeoverChangedAsync(HandoffCase changed)
    {
        _case = changed;
        if (changed.Status == CaseStatus.HandedBack)
        {
            Last.Tell(DecisionNotice.For(changed));
            _awaitingNext = true;
            await OpenNextAsync();
        }
    }

    private async Task OpenNextAsync()
    {
        var next = await Queue.NextAsync(Store, _user!, Id);
        Navigation.NavigateTo(next is null ? "/" : $"/cases/{next.Id}");
    }

    private async Task MoveAsync(int step)
    {
        // Leaving (perhaps): no key may act on this case while the move is worked out and the next one loads.
        _awaitingNext = true;
        var cases = await Queue.ListAsync(Store, _user!);
        var index = cases.ToList().FindIndex(c => c.Id == Id);
        var target = index < 0 ? (cases.Count > 0 ? 0 : -1) : index + step;
        if (target >= 0 && target < cases.Count)
        {
            // A conversation taken over stays the person's while they look elsewhere: the customer is still talking to them.
            if (CanDecide && _case?.AssignedTo?.Id == _user!.Id && _case.Status != CaseStatus.TakenOver)
            {
                // Moving on without deciding hands the case back, so it does not sit claimed by someone not looking at it.
                await Cases.ReleaseAsync(_user.WorkspaceId, Id, DashboardSession.ActorOf(_user), CancellationToken.None);
            }

            Navigation.NavigateTo($"/cases/{cases[target].Id}");
            return;
        }

        _awaitingNext = false;
    }

    protected override async Task OnKeyAsync(string key)
    {
        if (Busy && key is not ("?" or "Escape"))
        {
            return;
        }

        switch (key)
        {
            case "?":
                _help = !_help;
                break;
            case "Escape" when _help:
                _help = false;
                break;
            case "Escape":
                Cancel();
                break;
            case "j" when _mode == Mode.View:
                await MoveAsync(+1);
                break;
            case "k" when _mode == Mode.View:
                await MoveAsync(-1);
                break;
            case "a" when _mode == Mode.View:
                await ApproveAsync();
                break;
            case "e" when _mode == Mode.View && CanDecide:
                StartEdit();
                StateHasChanged();
                await JS.InvokeVoidAsync("handoff.focus", "#edit-text, .arguments input, .arguments textarea");
                break;
            case "t" when _mode == Mode.View && CanDecide && _case?.Status != CaseStatus.TakenOver:
                await TakeOverAsync();
                break;
            case "r" when _mode == Mode.View && CanDecide:
                StartReject();
                StateHasChanged();
                await JS.InvokeVoidAsync("handoff.focus", "#reject-reason");
                break;
            case [var digit] when char.IsAsciiDigit(digit) && digit != '0' && _mode == Mode.View:
                var index = digit - '1';
                if (_case is { } c && index < c.Content.Options.Count)
                {
                    await ChooseAsync(index);
                }

                break;
        }

        StateHasChanged();
    }
}
