using Handoff.Server.Api;
using Handoff.Storage.Outbox;

namespace Handoff.Server.Dashboard.Settings;

/// <summary>What an endpoint's form holds; checked by <see cref="WebhookValidator"/>, as the API checks its body.</summary>
public sealed class WebhookForm
{
    public string Url { get; set; } = "";

    public string Description { get; set; } = "";

    public HashSet<string> Types { get; } = new(StringComparer.Ordinal);

    public static WebhookForm From(WebhookEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var form = new WebhookForm { Url = endpoint.Url, Description = endpoint.Description ?? "" };
        form.Types.UnionWith(endpoint.EventTypes);
        return form;
    }

    public void Choose(string type, bool chosen)
    {
        if (chosen)
        {
            Types.Add(type);
        }
        else
        {
            Types.Remove(type);
        }
    }

    /// <summary>
    /// The endpoint's settings, or the problems by field (<c>url</c>, <c>eventTypes</c>, <c>description</c>). Every
    /// field is required here: a form always sends all three. The URL is trimmed first, since a pasted one often
    /// carries a space at an end.
    /// </summary>
    public (WebhookSettings? Settings, Dictionary<string, string[]> Errors) Check()
    {
        var errors = new ValidationErrors();
        var url = WebhookValidator.Url(Url.Trim() is { Length: > 0 } trimmed ? trimmed : null, errors, required: true);
        var types = WebhookValidator.EventTypes([.. EventTypeGroups.Ordered(Types)], errors, required: true);
        WebhookValidator.Description(Description, errors);
        return errors.Any
            ? (null, errors.ToDictionary())
            : (new WebhookSettings(url!, WebhookValidator.Trim(Description), types!), []);
    }
}
