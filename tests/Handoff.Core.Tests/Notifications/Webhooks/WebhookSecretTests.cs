using Handoff.Core.Notifications.Webhooks;

namespace Handoff.Core.Tests.Notifications.Webhooks;

public sealed class WebhookSecretTests
{
    [Fact]
    public void Generate_MakesA32ByteWhsecSecret_ThatParsesBackToTheSameKey()
    {
        var secret = WebhookSecret.Generate();

        Assert.StartsWith("whsec_", secret.Text, StringComparison.Ordinal);
        Assert.Equal(32, secret.Key.Length);
        Assert.Equal(secret.Key.ToArray(), WebhookSecret.Parse(secret.Text).Key.ToArray());
    }

    [Fact]
    public void Generate_TwiceNeverGivesTheSameKey()
    {
        var keys = Enumerable.Range(0, 50).Select(_ => WebhookSecret.Generate().Text).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(50, keys.Count);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(64)]
    public void Generate_AtTheSpecsBounds_MakesThatManyBytes(int bytes)
    {
        Assert.Equal(bytes, WebhookSecret.Generate(bytes).Key.Length);
    }

    [Theory]
    [InlineData(23)]
    [InlineData(65)]
    public void Generate_OutsideTheSpecsBounds_IsRefused(int bytes)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WebhookSecret.Generate(bytes));
    }

    [Fact]
    public void Parse_TheSpecLibrariesSecret_Is24Bytes()
    {
        Assert.Equal(24, WebhookSecret.Parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").Key.Length);
    }

    public static TheoryData<string?, string> BadSecrets() => new()
    {
        { null, "A webhook secret is required (whsec_ followed by base64)." },
        { "", "A webhook secret is required (whsec_ followed by base64)." },
        { "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "A webhook secret starts with whsec_." },
        { "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "A webhook secret starts with whsec_." },
        { "whsec_not*base64!", "The webhook secret's key after whsec_ is not valid base64." },
        { "whsec_" + Convert.ToBase64String(new byte[16]), "The webhook secret's key is 16 bytes; Standard Webhooks keys are 24 to 64 bytes." },
        { "whsec_", "The webhook secret's key is 0 bytes; Standard Webhooks keys are 24 to 64 bytes." },
        { "whsec_" + Convert.ToBase64String(new byte[65]), "The webhook secret's key is 65 bytes; Standard Webhooks keys are 24 to 64 bytes." },
        { "whsec_" + Convert.ToBase64String(new byte[200]), "The webhook secret's key is longer than 64 bytes." },
    };

    [Theory]
    [MemberData(nameof(BadSecrets))]
    public void TryParse_ABadSecret_SaysWhatIsWrong(string? text, string error)
    {
        Assert.False(WebhookSecret.TryParse(text, out var secret, out var message));
        Assert.Null(secret);
        Assert.Equal(error, message);
        if (text is not null)
        {
            Assert.Equal(error, Assert.Throws<FormatException>(() => WebhookSecret.Parse(text)).Message);
        }
    }

    [Fact]
    public void ToString_KeepsTheKeyOutOfLogs()
    {
        var secret = WebhookSecret.Generate();

        Assert.Equal("whsec_…", secret.ToString());
        Assert.DoesNotContain(secret.Text[6..], $"{secret}", StringComparison.Ordinal);
    }
}
