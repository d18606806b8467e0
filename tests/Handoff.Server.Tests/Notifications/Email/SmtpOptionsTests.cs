using Handoff.Server.Notifications;
using Handoff.Server.Notifications.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Tests.Notifications.Email;

public sealed class SmtpOptionsTests
{
    [Fact]
    public void AddHandoffEmail_BindsHandoffSmtp_AndRegistersTheEmailChannelOnce()
    {
        using var services = Services(new()
        {
            ["Handoff:Smtp:Host"] = "smtp.example.com",
            ["Handoff:Smtp:Port"] = "465",
            ["Handoff:Smtp:Security"] = "SslOnConnect",
            ["Handoff:Smtp:UserName"] = "handoff",
            ["Handoff:Smtp:Password"] = "secret",
            ["Handoff:Smtp:From"] = "handoff@example.com",
            ["Handoff:Smtp:FromName"] = "Handoff at Example",
            ["Handoff:Smtp:Timeout"] = "00:00:10",
        });

        var smtp = services.GetRequiredService<IOptions<SmtpOptions>>().Value;

        Assert.Equal(
            ("smtp.example.com", 465, SmtpSecurity.SslOnConnect, "handoff", "secret", "handoff@example.com", "Handoff at Example", TimeSpan.FromSeconds(10)),
            (smtp.Host, smtp.PortOrDefault, smtp.Security, smtp.UserName, smtp.Password, smtp.From, smtp.FromName, smtp.Timeout));
        Assert.Equal("example.com", smtp.MessageIdDomainOrDefault);
        Assert.Equal(["email"], services.GetServices<IDeliveryChannel>().Select(static c => c.Channel));
    }

    [Fact]
    public void Defaults_AreSecureAndDocumented()
    {
        var smtp = new SmtpOptions();

        Assert.False(smtp.IsConfigured);
        Assert.Equal((SmtpSecurity.StartTls, 587, TimeSpan.FromSeconds(30), "Handoff"), (smtp.Security, smtp.PortOrDefault, smtp.Timeout, smtp.FromName));
        Assert.Equal((465, 25, 25), (
            new SmtpOptions { Security = SmtpSecurity.SslOnConnect }.PortOrDefault,
            new SmtpOptions { Security = SmtpSecurity.None }.PortOrDefault,
            new SmtpOptions { Security = SmtpSecurity.StartTlsWhenAvailable }.PortOrDefault));
        Assert.Equal("mail.example.com", new SmtpOptions { From = "handoff@example.com", MessageIdDomain = "mail.example.com" }.MessageIdDomainOrDefault);
    }

    [Fact]
    public void Validation_WithAHost_NamesEverySettingThatIsWrong()
    {
        using var services = Services(new()
        {
            ["Handoff:Smtp:Host"] = "smtp.example.com",
            ["Handoff:Smtp:Port"] = "70000",
            ["Handoff:Smtp:Password"] = "secret",
            ["Handoff:Smtp:Timeout"] = "00:00:00",
            ["Handoff:Smtp:MaxConnections"] = "0",
        });

        var problems = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SmtpOptions>>().Value).Failures;

        Assert.Equal(
            [
                "Handoff:Smtp:Port must be between 1 and 65535 (it is 70000).",
                "Handoff:Smtp:From is required with a host: the address mails are sent from, e.g. handoff@example.com.",
                "Handoff:Smtp:Timeout must be positive and at most 10 minutes (it is 00:00:00).",
                "Handoff:Smtp:MaxConnections must be between 1 and 100 (it is 0).",
                "Handoff:Smtp:Password is set without a UserName.",
            ],
            problems);
    }

    [Fact]
    public void Validation_WithoutAHost_ChecksNothing_EmailIsOff()
    {
        using var services = Services(new() { ["Handoff:Smtp:Port"] = "70000", ["Handoff:Smtp:From"] = "nonsense" });

        Assert.False(services.GetRequiredService<IOptions<SmtpOptions>>().Value.IsConfigured);
    }

    [Theory]
    [InlineData("not an address", "Handoff:Smtp:From 'not an address' is not an e-mail address.")]
    [InlineData("handoff@example.com|bad domain", "Handoff:Smtp:MessageIdDomain 'bad domain' is not a host name.")]
    public void Validation_ABadSenderOrDomain_IsNamed(string setting, string expected)
    {
        var parts = setting.Split('|');
        var values = new Dictionary<string, string?> { ["Handoff:Smtp:Host"] = "smtp.example.com", ["Handoff:Smtp:From"] = parts[0] };
        if (parts.Length > 1)
        {
            values["Handoff:Smtp:MessageIdDomain"] = parts[1];
        }

        using var services = Services(values);

        var problems = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SmtpOptions>>().Value).Failures;
        Assert.Equal([expected], problems);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddHandoffEmail(configuration).AddHandoffEmail(configuration);
        return services.BuildServiceProvider();
    }
}
