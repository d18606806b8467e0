using Handoff.Core.Policy;

namespace Handoff.Samples.SupportAgent.Tests;

/// <summary>The demo shop's policy compiles, keeps every built-in rule, and sends the agent's risky proposals to people.</summary>
public sealed class DemoPolicyTests
{
    [Fact]
    public void DemoPolicy_Compiles_AndKeepsTheBuiltInRules()
    {
        var compilation = PolicyCompiler.Compile(SupportDemo.PolicyYaml);

        Assert.True(compilation.Succeeded, string.Join("\n", compilation.Problems));
        var builtIn = PolicyCompiler.Compile(BuiltInPolicy.Yaml).Policy!.RuleIds;
        Assert.Subset(compilation.Policy!.RuleIds.ToHashSet(), builtIn.ToHashSet());
    }

    [Fact]
    public void DemoPolicy_FileInTheRepository_IsTheOneTheDemoPublishes()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples", "SupportAgent", "Data", "policy.yaml");

        Assert.Equal(File.ReadAllText(file), SupportDemo.PolicyYaml);
    }
}
