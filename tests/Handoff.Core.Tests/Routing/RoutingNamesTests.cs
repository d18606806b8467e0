using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

public sealed class RoutingNamesTests
{
    [Theory]
    [InlineData("billing")]
    [InlineData("tier-2")]
    [InlineData("tier_2")]
    [InlineData("7")]
    public void IsToken_LowercaseLettersDigitsAndInnerSeparators_IsTrue(string name) => Assert.True(RoutingNames.IsToken(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Billing")]
    [InlineData("bill ing")]
    [InlineData("-billing")]
    [InlineData("billing_")]
    [InlineData("rückgabe")]
    [InlineData("billing\u200b")]
    public void IsToken_AnythingElse_IsFalse(string? name) => Assert.False(RoutingNames.IsToken(name));

    [Fact]
    public void IsToken_LongerThanTheMaximum_IsFalse()
    {
        Assert.True(RoutingNames.IsToken(new string('a', RoutingNames.MaxLength)));
        Assert.False(RoutingNames.IsToken(new string('a', RoutingNames.MaxLength + 1)));
    }

    [Theory]
    [InlineData("en", true)]
    [InlineData("deu", true)]
    [InlineData("pt-br", true)]
    [InlineData("zh-hant", true)]
    [InlineData("es-419", true)]
    [InlineData("EN", false)]
    [InlineData("english", false)]
    [InlineData("e", false)]
    [InlineData("en-", false)]
    [InlineData("en_us", false)]
    [InlineData("", false)]
    public void IsLanguage_LowercaseBcp47Tags(string tag, bool expected) => Assert.Equal(expected, RoutingNames.IsLanguage(tag));
}
