using CsCheck;
using Handoff.Core.Policy;

namespace Handoff.Core.Tests.Policy;

/// <summary>Compile takes text from administrators over the API: whatever arrives, it answers instead of throwing.</summary>
public sealed class PolicyCompilerPropertyTests
{
    private static readonly Gen<string> GenMutatedBuiltIn =
        Gen.Select(Gen.Int[0, BuiltInPolicy.Yaml.Length - 1], Gen.Int[0, 40], Gen.Char["{}[]:,-'\"*&!|>#% \nabc0.5"], Gen.Int[0, 2],
            static (at, length, insert, edit) => edit switch
            {
                0 => BuiltInPolicy.Yaml.Remove(at, Math.Min(length, BuiltInPolicy.Yaml.Length - at)),
                1 => BuiltInPolicy.Yaml.Insert(at, new string(insert, 1 + length % 3)),
                _ => string.Concat(BuiltInPolicy.Yaml.AsSpan(0, at), new string(insert, 1), BuiltInPolicy.Yaml.AsSpan(at + 1)),
            });

    [Fact]
    public void Compile_ForArbitraryText_ReturnsAPolicyXorProblems() =>
        Gen.String.Sample(static yaml => AssertWellFormed(PolicyCompiler.Compile(yaml)), iter: 2000);

    [Fact]
    public void Compile_ForMutationsOfTheBuiltInPolicy_ReturnsAPolicyXorProblemsWithPositions() =>
        GenMutatedBuiltIn.Sample(static yaml =>
        {
            var compilation = PolicyCompiler.Compile(yaml);
            AssertWellFormed(compilation);
            var lines = yaml.Split('\n').Length;
            Assert.All(compilation.Problems, problem => Assert.InRange(problem.Line, 1, lines + 1));
        }, iter: 2000);

    private static void AssertWellFormed(PolicyCompilation compilation)
    {
        Assert.Equal(compilation.Problems.Count == 0, compilation.Succeeded);
        Assert.All(compilation.Problems, static problem => Assert.True(problem.Line >= 1 && problem.Column >= 1, problem.ToString()));
    }
}
