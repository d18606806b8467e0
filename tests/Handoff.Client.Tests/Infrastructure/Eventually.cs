using Microsoft.Extensions.Time.Testing;

namespace Handoff.Client.Tests.Infrastructure;

/// <summary>Bounded waits for things that happen on other threads; none of them measures or asserts a duration.</summary>
internal static class Eventually
{
    /// <summary>Waits (bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), what);
    }

    /// <summary>
    /// Steps <paramref name="clock"/> by <paramref name="step"/> until <paramref name="waiting"/> completes (bounded). Timers
    /// are set a moment after a request starts, so one big jump could land before they exist; small steps reach them.
    /// </summary>
    public static async Task AdvanceUntilAsync(FakeTimeProvider clock, Task waiting, TimeSpan? step = null)
    {
        for (var i = 0; i < 600 && !waiting.IsCompleted; i++)
        {
            clock.Advance(step ?? TimeSpan.FromSeconds(1));
            await Task.WhenAny(waiting, Task.Delay(20, TestContext.Current.CancellationToken));
        }

        Assert.True(waiting.IsCompleted, "nothing answered as the clock moved on");
    }
}
