using System.CommandLine;
using Handoff.Cli.Commands;

var root = new RootCommand("Handoff: a human-in-the-loop server for AI agents.")
{
    ServeCommand.Create(),
    KeysCommand.Create(),
    UsersCommand.Create(),
    PolicyCommand.Create(),
    AuditCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
