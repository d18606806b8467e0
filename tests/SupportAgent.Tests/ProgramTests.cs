namespace Handoff.Samples.SupportAgent.Tests;

/// <summary>The sample's command line refuses what it cannot use, with exit 2 and no stack trace.</summary>
public sealed class ProgramTests
{
    [Theory]
    [InlineData("--server", "not a url", "--key", "hk_x")]
    [InlineData("--key", "hk_x", "--chat-endpoint", "localhost")]
    [InlineData("--key", " ")]
    public async Task Main_BadArguments_ExitWithTwo(params string[] args) => Assert.Equal(2, await Program.Main(args));
}
