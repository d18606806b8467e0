using System.Text;

namespace Handoff.Client.Tests;

/// <summary>The event stream's body handed to the parser in whole blocks only, however the network splits it.</summary>
public sealed class WholeBlocksStreamTests
{
    public static TheoryData<string, string> Streams => new()
    {
        { "id: 5\n\nevent: a\nid: 6\ndata: x", "id: 5\n\n" },
        { "id: 5\n\nevent: a\nid: 6\ndata: x\n\n", "id: 5\n\nevent: a\nid: 6\ndata: x\n\n" },
        { "id: 5\r\n\r\nevent: a\r\nid: 6\r\n", "id: 5\r\n\r\n" },
        { "id: 5\r\rid: 6\r", "id: 5\r\r" },
        { ": keep-alive\nid: 7\n\n: keep-alive\nid: 8\n\nevent: b\n", ": keep-alive\nid: 7\n\n: keep-alive\nid: 8\n\n" },
        { "data: no end", "" },
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task HandsOnWholeBlocks_AndDropsAnUnfinishedOne_ReadWholeOrAByteAtATime(string sent, string handedOn)
    {
        Assert.Equal(handedOn, await ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes(sent))));
        Assert.Equal(handedOn, await ReadAllAsync(new OneByteAtATime(Encoding.UTF8.GetBytes(sent))));
    }

    [Fact]
    public async Task ABlockLargerThanItsBuffer_ComesThroughWhole()
    {
        var sent = "data: " + new string('x', 50_000) + "\n\n";

        Assert.Equal(sent, await ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes(sent))));
    }

    private static async Task<string> ReadAllAsync(Stream source)
    {
        await using var whole = new WholeBlocksStream(source);
        using var reader = new StreamReader(whole, Encoding.UTF8);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }

    private sealed class OneByteAtATime(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
