using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Server.Api.Contracts;

namespace Handoff.Server.Api;

/// <summary>Checks a submission field by field and turns it into case content.</summary>
internal static class SubmitCaseValidator
{
    private const int MaxTextLength = 100_000;

    public static SubmittedCase? Validate(SubmitCaseRequest request, ValidationErrors errors)
    {
        var kind = ParseEnum<CaseKind>(request.Kind, "kind", errors, required: true);
        CheckLength(request.Summary, "summary", errors);
        CheckObject(request.Subject, "subject", errors);
        CheckObject(request.Facts, "facts", errors);

        var conversation = new List<Message>();
        for (var i = 0; i < (request.Conversation?.Count ?? 0); i++)
        {
            var message = request.Conversation![i];
            if (message is null || string.IsNullOrWhiteSpace(message.Role) || message.Text is null)
            {
                errors.Add($"conversation[{i}]", "Each message needs a role and a text.");
                continue;
            }

            CheckLength(message.Text, $"conversation[{i}].text", errors);
            conversation.Add(new Message(message.Role, message.Text, message.At));
        }

        var proposal = request.Proposal is null ? null : ToProposal(request.Proposal, "proposal", errors);
        var options = new List<Proposal>();
        for (var i = 0; i < (request.Options?.Count ?? 0); i++)
        {
            var option = request.Options![i];
            if (option is null)
            {
                errors.Add($"options[{i}]", "An option must be an object with text and/or action.");
                continue;
            }

            if (ToProposal(option, $"options[{i}]", errors) is { } p)
            {
                options.Add(p);
            }
        }

        TimeSpan? expiresIn = null;
        if (request.ExpiresIn.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            if (Durations.TryParse(request.ExpiresIn, out var parsed))
            {
                expiresIn = parsed;
            }
            else
            {
                errors.Add("expiresIn", "Must be a positive number of seconds or a duration such as \"90s\", \"15m\", \"2h\", \"1d\" (at most 365 days).");
            }
        }

        var onTimeout = ParseEnum<TimeoutEffect>(request.OnTimeout, "onTimeout", errors, required: false) ?? TimeoutEffect.Reject;
        var callbackUrl = CheckCallbackUrl(request.CallbackUrl, errors);

        if (errors.Any || kind is null)
        {
            return null;
        }

        var content = new CaseContent
        {
            Kind = kind.Value,
            Summary = request.Summary,
            Channel = request.Channel,
            Subject = Clone(request.Subject),
            Facts = Clone(request.Facts),
            Conversation = conversation,
            Proposal = proposal,
            Options = options,
        };
        return new SubmittedCase(content, expiresIn, onTimeout, callbackUrl);
    }

    // Whether the address may be reached is decided when the decision is sent (the same rules as webhook endpoints);
    // here only its form.
    private static string? CheckCallbackUrl(string? url, ValidationErrors errors)
    {
        if (url is null)
        {
            return null;
        }

        if (url.Length > SubmittedCase.MaxCallbackUrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0
            || uri.Fragment.Length > 0)
        {
            errors.Add("callbackUrl", $"Must be an absolute http or https URL without user info or fragment, at most {SubmittedCase.MaxCallbackUrlLength} characters.");
            return null;
        }

        return url;
    }

    internal static TEnum? ParseEnum<TEnum>(string? value, string field, ValidationErrors errors, bool required)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, $"Required; one of: {EnumNames<TEnum>.Allowed}.");
            }

            return null;
        }

        // Only the documented camelCase names: Enum.TryParse would also take "1", "APPROVE" or "Approve, Reject".
        if (EnumNames<TEnum>.Values.TryGetValue(value, out var parsed))
        {
            return parsed;
        }

        errors.Add(field, $"'{value}' is not one of: {EnumNames<TEnum>.Allowed}.");
        return null;
    }

    private static Proposal? ToProposal(ProposalBody body, string field, ValidationErrors errors)
    {
        var valid = true;
        if (body.Confidence is { } c && (double.IsNaN(c) || c < 0 || c > 1))
        {
            errors.Add($"{field}.confidence", "Must be between 0 and 1.");
            valid = false;
        }

        CheckLength(body.Text, $"{field}.text", errors);
        ToolCall? action = null;
        if (body.Action is not null)
        {
            if (string.IsNullOrWhiteSpace(body.Action.Name))
            {
                errors.Add($"{field}.action.name", "A tool call needs a name.");
                valid = false;
            }

            valid &= CheckObject(body.Action.Arguments, $"{field}.action.arguments", errors);
            action = new ToolCall(body.Action.Name ?? "", Clone(body.Action.Arguments));
        }

        if (body.Text is null && body.Action is null)
        {
            errors.Add(field, "A proposal needs text, an action, or both.");
            valid = false;
        }

        return valid ? new Proposal(body.Text, action, body.Confidence) : null;
    }

    internal static bool CheckObject(JsonElement value, string field, ValidationErrors errors)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, "Must be a JSON object.");
            return false;
        }

        if (JsonObjects.Problem(value) is { } problem)
        {
            errors.Add(field, problem);
            return false;
        }

        return true;
    }

    private static void CheckLength(string? text, string field, ValidationErrors errors)
    {
        if (text is { Length: > MaxTextLength })
        {
            errors.Add(field, $"At most {MaxTextLength} characters.");
        }
    }

    private static JsonElement Clone(JsonElement value) =>
        value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? default : value.Clone();
}
