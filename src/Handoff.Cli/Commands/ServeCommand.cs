using System.CommandLine;
using Handoff.Cli.Demo;
using Handoff.Server;
using Handoff.Server.Accounts;
using Handoff.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Handoff.Cli.Commands;

/// <summary><c>handoff serve</c>: the server, on a SQLite file in <c>--data</c> or on the PostgreSQL database <c>--store</c> names.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var storeOption = CommonOptions.Store();
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var policy = new Option<FileInfo?>("--policy") { Description = "A policy YAML file to publish on start (the built-in policy otherwise)." };
        var demo = new Option<bool>("--demo") { Description = "Demo data: ready-made API keys and sign-ins, the demo shop's policy, and a sample support agent sending cases." };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Folder for the signed audit checkpoints (default: checkpoints in --data)." };
        var checkpointMinutes = new Option<int>("--checkpoint-minutes")
        {
            Description = "Minutes between audit checkpoints, written when the log has grown; 0 turns them off.",
            DefaultValueFactory = _ => 60,
        };
        var auditKey = new Option<string?>("--audit-key") { Description = "The key file that signs checkpoints (default: audit-signing.pem in --data; created when missing)." };
        var serve = new Command("serve", "Run the Handoff server.") { data, storeOption, urls, policy, demo, checkpoints, checkpointMinutes, auditKey };
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var options = new HandoffServerOptions
            {
                DataDirectory = parse.GetValue(data)!,
                Store = parse.GetValue(storeOption),
                PolicyFile = parse.GetValue(policy)?.FullName,
                AuditCheckpointDirectory = parse.GetValue(checkpoints),
                AuditCheckpointInterval = TimeSpan.FromMinutes(parse.GetValue(checkpointMinutes)),
                AuditSigningKeyFile = parse.GetValue(auditKey),
            };
            try
            {
                await using var app = HandoffServer.Build([], options);
                app.Urls.Add(parse.GetValue(urls)!);
                await app.InitializeAsync(cancellationToken).ConfigureAwait(false);
                var seeded = parse.GetValue(demo) ? await DemoSeeder.SeedAsync(app.Services, options, cancellationToken).ConfigureAwait(false) : default;
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                var address = app.ListeningAddress();
                var demoAgent = Task.CompletedTask;
                if (seeded.Keys is { } keys)
                {
                    DemoSeeder.PrintWelcome(address, keys);
                    var waiting = await DemoAgent.WaitingCasesAsync(
                        app.Services.GetRequiredService<Storage.IHandoffStore>(), options.DefaultWorkspace, cancellationToken).ConfigureAwait(false);
                    demoAgent = DemoAgent.RunAsync(
                        app.Configuration, address, keys["agent"], waiting, seeded.FirstRun, app.Services.GetRequiredService<ILoggerFactory>(),
                        app.Services.GetRequiredService<TimeProvider>(), app.Lifetime.ApplicationStopping);
                }

                if (await app.Services.GetRequiredService<SetupLink>().TokenIfNeededAsync(cancellationToken).ConfigureAwait(false) is { } token)
                {
                    await Console.Out.WriteLineAsync(
                        $"No dashboard accounts yet. Create the first admin at {new Uri(address, $"setup?token={token}")} (this link works once).").ConfigureAwait(false);
                }

                if (!parse.GetValue(demo))
                {
                    await Console.Out.WriteLineAsync(options.UsesPostgres
                        ? $"Handoff is serving {parse.GetValue(urls)} from PostgreSQL. API keys: handoff keys create --store \"...\" --role agent|reviewer|admin"
                        : $"Handoff is serving {parse.GetValue(urls)} from {Path.GetFullPath(options.DatabasePath)}. " +
                          $"API keys: handoff keys create --data {options.DataDirectory} --role agent|reviewer|admin").ConfigureAwait(false);
                }

                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                await demoAgent.ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.Data.Common.DbException or System.Net.Sockets.SocketException)
            {
                // A bad policy file, a port in use, a database from a newer Handoff: one line that says which.
                await Console.Error.WriteLineAsync($"handoff serve: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return serve;
    }
}
