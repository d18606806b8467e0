using Handoff.Core.Notifications.Email;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Handoff.Server.Notifications.Email;

/// <summary>Checks <see cref="SmtpOptions"/> on start, naming each setting that is wrong; nothing is checked while e-mail is off.</summary>
internal sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        var problems = new List<string>();
        if (options.Port is { } port && port is < 1 or > 65535)
        {
            problems.Add($"{SmtpOptions.Section}:Port must be between 1 and 65535 (it is {port}).");
        }

        if (string.IsNullOrWhiteSpace(options.From))
        {
            problems.Add($"{SmtpOptions.Section}:From is required with a host: the address mails are sent from, e.g. handoff@example.com.");
        }
        else if (!MailboxAddress.TryParse(options.From, out var from) || !from.Address.Contains('@', StringComparison.Ordinal))
        {
            problems.Add($"{SmtpOptions.Section}:From '{options.From}' is not an e-mail address.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{SmtpOptions.Section}:Timeout must be positive and at most 10 minutes (it is {options.Timeout}).");
        }

        if (options.MaxConnections is < 1 or > 100)
        {
            problems.Add($"{SmtpOptions.Section}:MaxConnections must be between 1 and 100 (it is {options.MaxConnections}).");
        }

        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrWhiteSpace(options.UserName))
        {
            problems.Add($"{SmtpOptions.Section}:Password is set without a UserName.");
        }

        try
        {
            EmailThreading.Domain(options.MessageIdDomainOrDefault);
        }
        catch (ArgumentException)
        {
            problems.Add($"{SmtpOptions.Section}:MessageIdDomain '{options.MessageIdDomainOrDefault}' is not a host name.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
