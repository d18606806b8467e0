namespace Handoff.OfferLatency;

/// <summary>
/// One clock for the server's process and the browser's: milliseconds since the Unix epoch from the system's real-time
/// clock, which Chromium's <c>performance.timeOrigin + performance.now()</c> reads too (to 0.1 ms there).
/// </summary>
internal static class Clock
{
    public static double NowMs() => (TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalMilliseconds;
}
