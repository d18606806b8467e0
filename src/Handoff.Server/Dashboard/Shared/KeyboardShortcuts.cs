using Microsoft.JSInterop;

namespace Handoff.Server.Dashboard.Shared;

/// <summary>
/// Connects a page to the keyboard: the page lists the keys it handles, and <see cref="OnKey"/> runs its handler for
/// each one pressed outside a text field. Dispose to let go.
/// </summary>
internal sealed class KeyboardShortcuts(IJSRuntime js, IReadOnlyList<string> keys, Func<string, Task> handle) : IAsyncDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N");
    private DotNetObjectReference<KeyboardShortcuts>? _reference;

    public async Task AttachAsync()
    {
        _reference ??= DotNetObjectReference.Create(this);
        await js.InvokeVoidAsync("handoff.attach", _reference, _id, keys);
    }

    [JSInvokable]
    public Task OnKey(string key) => handle(key);

    public async ValueTask DisposeAsync()
    {
        if (_reference is null)
        {
            return;
        }

        try
        {
            await js.InvokeVoidAsync("handoff.detach", _id);
        }
        catch (Exception e) when (e is JSDisconnectedException or OperationCanceledException)
        {
            // The browser is gone; there is nothing to detach from.
        }

        _reference.Dispose();
    }
}
