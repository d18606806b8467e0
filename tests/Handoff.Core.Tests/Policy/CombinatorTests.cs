using static Handoff.Core.Tests.Policy.PolicyTesting;

namespace Handoff.Core.Tests.Policy;

public sealed class CombinatorTests
{
    [Theory]
    [InlineData(1500, "EUR", true)]
    [InlineData(1500, "USD", false)]
    [InlineData(500, "EUR", false)]
    public void Evaluate_WhenAll_RequiresEveryCondition(int amount, string currency, bool expected) =>
        Assert.Equal(expected, Fires("""
            all:
              - facts.amount: { gt: 1000 }
              - facts.currency: EUR
            """, Case($$"""{"amount": {{amount}}, "currency": "{{currency}}"}""")));

    [Theory]
    [InlineData(1500, "USD", true)]
    [InlineData(500, "EUR", true)]
    [InlineData(500, "USD", false)]
    public void Evaluate_WhenAny_RequiresOneCondition(int amount, string currency, bool expected) =>
        Assert.Equal(expected, Fires("""
            any:
              - facts.amount: { gt: 1000 }
              - facts.currency: EUR
            """, Case($$"""{"amount": {{amount}}, "currency": "{{currency}}"}""")));

    [Theory]
    [InlineData("email", false)]
    [InlineData("chat", true)]
    public void Evaluate_WhenNot_Negates(string channel, bool expected) =>
        Assert.Equal(expected, Fires("not: { channel: email }", Case(channel: channel)));

    [Theory]
    [InlineData(1500, "EUR", true)]
    [InlineData(1500, "USD", false)]
    [InlineData(500, "EUR", false)]
    public void Evaluate_WhenSeveralKeysInOneMap_RequiresAll(int amount, string currency, bool expected) =>
        Assert.Equal(expected, Fires("""
            facts.amount: { gt: 1000 }
            facts.currency: EUR
            """, Case($$"""{"amount": {{amount}}, "currency": "{{currency}}"}""")));

    [Theory]
    [InlineData(50, true)]
    [InlineData(10, false)]
    [InlineData(100, false)]
    public void Evaluate_WhenSeveralOperatorsOnOneField_RequiresAll(int amount, bool expected) =>
        Assert.Equal(expected, Fires("facts.amount: { gt: 10, lt: 100 }", Case($$"""{"amount": {{amount}}}""")));

    [Theory]
    [InlineData("medical", "email", 0, true)]
    [InlineData("medical", "chat", 0, false)]
    [InlineData("billing", "email", 2000, true)]
    [InlineData("billing", "email", 20, false)]
    public void Evaluate_WhenCombinatorsNest_EvaluatesTheTree(string topic, string channel, int amount, bool expected) =>
        Assert.Equal(expected, Fires("""
            any:
              - all:
                  - facts.topic: medical
                  - not: { channel: { ne: email } }
              - all:
                  - facts.amount: { gte: 1000 }
                  - not:
                      any:
                        - facts.topic: medical
                        - channel: chat
            """, Case($$"""{"topic": "{{topic}}", "amount": {{amount}}}""", channel: channel)));
}
