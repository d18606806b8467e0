namespace Handoff.Cli.Tests.Commands;

/// <summary>`--store`: a store that cannot be used is one line on stderr and exit 1, never a stack trace.</summary>
public sealed class StoreOptionTests
{
    [Theory]
    [InlineData("postgres://", "Expected postgres://")]
    [InlineData("postgres://handoff@127.0.0.1:1/handoff", "Failed to connect")]
    public async Task KeysCreate_WithAStoreThatCannotBeUsed_SaysWhyInOneLine(string store, string says)
    {
        var (exit, output, error) = await CliRunner.RunAsync("keys", "create", "--store", store, "--role", "agent");

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.StartsWith("handoff: ", error, StringComparison.Ordinal);
        Assert.Contains(says, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
