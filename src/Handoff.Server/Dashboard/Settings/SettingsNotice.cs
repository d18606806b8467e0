namespace Handoff.Server.Dashboard.Settings;

/// <summary>
/// A notice for the next settings page this circuit opens: the endpoint page is gone once its endpoint is deleted,
/// so the list it returns to says what happened. Circuit-scoped, read once.
/// </summary>
internal sealed class SettingsNotice
{
    private string? _text;

    public void Tell(string text) => _text = text;

    public string? Take()
    {
        var text = _text;
        _text = null;
        return text;
    }
}
