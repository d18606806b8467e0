using Handoff.Core.Routing;

namespace Handoff.Core.Tests.Routing;

public sealed class TagSetTests
{
    [Fact]
    public void ContainsAll_IgnoresCaseAndOrder()
    {
        var person = TagSet.Of("Refunds", "billing", "DE");

        Assert.True(person.ContainsAll(TagSet.Of("de", "BILLING")));
        Assert.True(person.ContainsAll(TagSet.Empty));
        Assert.False(person.ContainsAll(TagSet.Of("billing", "legal")));
        Assert.False(TagSet.Empty.ContainsAll(TagSet.Of("billing")));
    }

    [Fact]
    public void Contains_IgnoresCase()
    {
        Assert.True(TagSet.Of("en", "de").Contains("DE"));
        Assert.False(TagSet.Of("en", "de").Contains("fr"));
    }

    [Fact]
    public void Of_DropsDuplicatesAndTrims()
    {
        var tags = TagSet.Of(" Billing", "billing", "legal ");

        Assert.Equal(["billing", "legal"], tags);
        Assert.Equal(TagSet.Of("legal", "billing"), tags);
    }

    [Fact]
    public void New_WithAnEmptyName_Throws() => Assert.Throws<ArgumentException>(() => TagSet.Of("billing", " "));
}
