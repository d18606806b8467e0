using System.Threading.Channels;
using ModelContextProtocol;

namespace Handoff.Server.Tests.Mcp;

/// <summary>The progress notifications an MCP client received for one call, in order, to be awaited one by one.</summary>
internal sealed class ProgressRecorder : IProgress<ProgressNotificationValue>
{
    private readonly Channel<ProgressNotificationValue> _received = Channel.CreateUnbounded<ProgressNotificationValue>();

    public void Report(ProgressNotificationValue value) => _received.Writer.TryWrite(value);

    public Task<ProgressNotificationValue> NextAsync() => _received.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask();
}
