using System.CommandLine;
using System.Data.Common;
using System.Net.Sockets;
using Handoff.Cli.Commands;

var root = new RootCommand("Handoff: a human-in-the-loop server for AI agents.")
{
    ServeCommand.Create(),
    KeysCommand.Create(),
    UsersCommand.Create(),
    TeamsCommand.Create(),
    PolicyCommand.Create(),
    AuditCommand.Create(),
    ExportCommand.Create(),
    EvalCommand.Create(),
};

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
}
catch (Exception e) when (e is FormatException or DbException or SocketException or IOException or InvalidOperationException or UnauthorizedAccessException)
{
    // A store that cannot be read (a bad --store URL, a database out of reach, a schema newer than this Handoff), or a
    // file that cannot be read or written (a folder given for a file, no permission): one line that says which, not a
    // stack trace.
    await Console.Error.WriteLineAsync($"handoff: {e.Message}").ConfigureAwait(false);
    return 1;
}
