using Handoff.Server.Events;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Handoff.Server.Dashboard.Shared;

/// <summary>
/// A page that stays current: it hears of every case created or changed in the person's workspace (through
/// <see cref="CaseNotifier"/>) and re-renders once a second for countdowns. Changes arriving together are
/// handled once: a burst of submissions costs one reload, not one each. A page that lists <see cref="Keys"/> gets them
/// from the keyboard.
/// </summary>
public abstract partial class LivePage : ComponentBase, IAsyncDisposable
{
    private IDisposable? _subscription;
    private ITimer? _ticker;
    private ITimer? _poller;
    private int _reloadQueued;
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private bool _anyChanged;

    [Inject]
    internal CaseNotifier Notifier { get; set; } = default!;

    [Inject]
    internal TimeProvider Time { get; set; } = default!;

    [Inject]
    internal ILogger<LivePage> Logger { get; set; } = default!;

    [Inject]
    protected IJSRuntime JS { get; set; } = default!;

    private KeyboardShortcuts? _keys;

    /// <summary>The keys the page handles (see <see cref="OnKeyAsync"/>); none by default.</summary>
    protected virtual IReadOnlyList<string> Keys => [];

    /// <summary>Runs for each of <see cref="Keys"/> pressed outside a text field, once the page is live.</summary>
    protected virtual Task OnKeyAsync(string key) => Task.CompletedTask;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive && Keys.Count > 0)
        {
            _keys = new KeyboardShortcuts(JS, Keys, OnKeyAsync);
            await _keys.AttachAsync();
        }
    }

    /// <summary>The time the page shows countdowns against; moves once a second while the page is live.</summary>
    protected DateTimeOffset Now { get; private set; }

    /// <summary>
    /// Starts following <paramref name="workspaceId"/>; call once the page knows who is signed in. Only a live
    /// (interactive) page follows: the static first render has no one to tell.
    /// </summary>
    protected void Follow(string workspaceId)
    {
        Now = Time.GetUtcNow();
        if (!RendererInfo.IsInteractive)
        {
            return;
        }

        _subscription ??= Notifier.Subscribe(workspaceId, OnChanged);
        _ticker ??= Time.CreateTimer(_ => _ = InvokeAsync(() =>
        {
            Now = Time.GetUtcNow();
            StateHasChanged();
        }), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Also re-reads the page every <paramref name="interval"/> (through <see cref="OnCasesChangedAsync"/> with null),
    /// for what changes without a signal: people's presence turning away as their dashboards go quiet.
    /// </summary>
    protected void Poll(TimeSpan interval)
    {
        if (!RendererInfo.IsInteractive)
        {
            return;
        }

        _poller ??= Time.CreateTimer(_ => OnChanged(null), null, interval, interval);
    }

    /// <summary>
    /// Reloads the page as if any case had changed (through <see cref="OnCasesChangedAsync"/> with null), for a signal
    /// of the page's own; callable from any thread, and a burst costs one reload, as case changes do.
    /// </summary>
    protected void ReloadAll() => OnChanged(null);

    /// <summary>
    /// Runs on the page's dispatcher with the ids of the cases that changed since the last call, or null when any case
    /// may have changed (signals from other nodes were lost and the page must read everything it shows again).
    /// </summary>
    protected abstract Task OnCasesChangedAsync(IReadOnlySet<string>? caseIds);

    private void OnChanged(string? caseId)
    {
        lock (_changed)
        {
            if (caseId is null)
            {
                _anyChanged = true;
            }
            else
            {
                _changed.Add(caseId);
            }
        }

        if (Interlocked.Exchange(ref _reloadQueued, 1) == 1)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            Interlocked.Exchange(ref _reloadQueued, 0);
            HashSet<string>? changed;
            lock (_changed)
            {
                changed = _anyChanged ? null : [.. _changed];
                _changed.Clear();
                _anyChanged = false;
            }

            try
            {
                await OnCasesChangedAsync(changed);
                StateHasChanged();
            }
#pragma warning disable CA1031 // A failed reload must not go unseen, nor end the page: the next change tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogReloadFailed(Logger, e);
            }
        });
    }

    // Blazor calls DisposeAsync alone when a component has it, so everything a live page holds is let go here.
    public async ValueTask DisposeAsync()
    {
        await OnDisposeAsync();
        _subscription?.Dispose();
        _subscription = null;
        _ticker?.Dispose();
        _ticker = null;
        _poller?.Dispose();
        _poller = null;
        if (_keys is not null)
        {
            await _keys.DisposeAsync();
            _keys = null;
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>What a page holds beyond what every live page does, let go when it goes.</summary>
    protected virtual ValueTask OnDisposeAsync() => ValueTask.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "A dashboard page could not reload after a case changed")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
