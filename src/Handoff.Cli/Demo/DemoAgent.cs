using Handoff.Core.Cases;
using Handoff.Samples.SupportAgent;
using Handoff.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Handoff.Cli.Demo;

/// <summary>
/// Runs the sample support agent (samples/SupportAgent) inside <c>serve --demo</c>, over real HTTP to this server with
/// the demo agent key. The configuration section <c>SupportAgent</c> (environment: <c>SupportAgent__ChatEndpoint</c>,
/// <c>SupportAgent__ChatModel</c>, <c>SupportAgent__ChatApiKey</c>, <c>SupportAgent__Training</c>) swaps the
/// classifier for a chat model or other training data.
/// </summary>
internal static partial class DemoAgent
{
    /// <summary>The name of the demo's agent key, which its cases carry as their submitter.</summary>
    public const string KeyName = "demo agent";

    public static Task RunAsync(IConfiguration configuration, Uri server, string agentKey, IReadOnlyList<string> resume, bool firstRun, ILoggerFactory loggers, TimeProvider time, CancellationToken stopping)
    {
        var options = new SupportAgentOptions();
        configuration.GetSection("SupportAgent").Bind(options);
        options.Server = server;
        options.AgentKey = agentKey;

        // The first run fills the inbox at once; a restart finds it filled and only keeps the trickle going.
        var demo = new SupportDemoOptions { Burst = firstRun ? new SupportDemoOptions().Burst : 0, Resume = resume };
        var logger = loggers.CreateLogger(typeof(DemoAgent));
        return Task.Run(async () =>
        {
            try
            {
                await SupportDemo.RunAsync(options, demo, loggers, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // The demo's agent failing (a chat endpoint out of reach, say) must not take the server down with it.
                LogStopped(logger, e);
            }
        }, CancellationToken.None);
    }

    /// <summary>
    /// The demo agent's cases that still wait on a person, from an earlier run: the agent waits on them again. Not the
    /// escalated ones: the customer was told a colleague would follow up when they escalated, and telling them again
    /// on every restart would be noise.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WaitingCasesAsync(IHandoffStore store, string workspace, CancellationToken cancellationToken)
    {
        var found = (await store.FindWorkspaceAsync(workspace, cancellationToken).ConfigureAwait(false))!;
        var waiting = new List<string>();
        foreach (var status in new[] { CaseStatus.Pending, CaseStatus.Assigned })
        {
            string? cursor = null;
            do
            {
                var page = await store.ListCasesAsync(found.Id, new CaseQuery(status, Limit: 200, Cursor: cursor), cancellationToken).ConfigureAwait(false);
                waiting.AddRange(page.Items.Where(c => c.SubmittedBy is { Kind: "agent", Name: KeyName }).Select(c => c.Id));
                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }

        return waiting;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The demo's support agent stopped")]
    private static partial void LogStopped(ILogger logger, Exception exception);
}
