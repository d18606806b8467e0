using Handoff.Samples.SupportAgent.Shop;
using Microsoft.Extensions.Logging;

namespace Handoff.Samples.SupportAgent;

/// <summary>
/// Customers keep writing in: the sample agent answers a first burst of conversations, then one more every
/// <see cref="SupportDemoOptions.Interval"/> while fewer than <see cref="SupportDemoOptions.MaxWaiting"/> wait on a
/// person, so a dashboard fills with cases to work without drowning. <c>handoff serve --demo</c> runs it in-process.
/// </summary>
public static partial class SupportDemo
{
    /// <summary>The demo shop's policy (<c>Data/policy.yaml</c>): Handoff's built-in rules and a support team's own.</summary>
    public static string PolicyYaml
    {
        get
        {
            using var reader = new StreamReader(Classification.TrainingData.Resource("policy.yaml"));
            return reader.ReadToEnd();
        }
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; a conversation that fails is logged and the demo goes on.</summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> or <paramref name="demo"/> cannot be used (their <c>Problem()</c> says why).</exception>
    public static async Task RunAsync(SupportAgentOptions options, SupportDemoOptions demo, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(demo);
        if (demo.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(demo));
        }

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var agent = SupportAgentFactory.Create(options, http, new SimulatedShop(loggers.CreateLogger<SimulatedShop>()), loggers);
        var traffic = new DemoTraffic();
        var logger = loggers.CreateLogger(typeof(SupportDemo));
        var waiting = 0;
        var running = new List<Task>();

        void Start(Func<Task> conversation)
        {
            Interlocked.Increment(ref waiting);
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await conversation().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Shutting down: the case stays in Handoff, and the next run waits on it again (SupportDemoOptions.Resume).
                }
                catch (Exception e)
                {
                    LogFailed(logger, e);
                }
                finally
                {
                    Interlocked.Decrement(ref waiting);
                }
            }, CancellationToken.None));
        }

        LogStarted(logger, agent.DrafterName, demo.Resume.Count, demo.Burst, demo.Interval.TotalSeconds);
        foreach (var caseId in demo.Resume)
        {
            Start(() => agent.ResumeAsync(caseId, cancellationToken));
        }

        for (var i = 0; i < demo.Burst; i++)
        {
            Start(() => agent.HandleAsync(traffic.Next(), cancellationToken));
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(demo.Interval, time, cancellationToken).ConfigureAwait(false);
                running.RemoveAll(task => task.IsCompleted);
                if (Volatile.Read(ref waiting) < demo.MaxWaiting)
                {
                    Start(() => agent.HandleAsync(traffic.Next(), cancellationToken));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Support demo: {Drafter}; {Resumed} cases of an earlier run waited on again, {Burst} conversations now, then one every {Seconds} s")]
    private static partial void LogStarted(ILogger logger, string drafter, int resumed, int burst, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Support demo: a conversation failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
