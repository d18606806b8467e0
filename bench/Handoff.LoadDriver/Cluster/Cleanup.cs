using System.Runtime.InteropServices;

namespace Handoff.LoadDriver.Cluster;

/// <summary>
/// What to undo when the driver is stopped early (Ctrl+C, SIGTERM, SIGHUP): node processes to kill, bench databases
/// to drop, newest first. After that the signal ends the driver as it would have.
/// </summary>
internal static class Cleanup
{
    private static readonly List<(object Owner, Action Undo)> Pending = [];
    private static PosixSignalRegistration[]? _signals;

    public static void Add(object owner, Action undo)
    {
        lock (Pending)
        {
            _signals ??= [.. ((PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP]).Select(signal => PosixSignalRegistration.Create(signal, _ => RunAll()))];
            Pending.Add((owner, undo));
        }
    }

    public static void Remove(object owner)
    {
        lock (Pending)
        {
            Pending.RemoveAll(p => ReferenceEquals(p.Owner, owner));
        }
    }

    private static void RunAll()
    {
        (object Owner, Action Undo)[] pending;
        lock (Pending)
        {
            pending = [.. Pending];
            Pending.Clear();
        }

        foreach (var (_, undo) in pending.Reverse())
        {
#pragma warning disable CA1031 // Best effort on the way out: one failure must not keep the rest from running.
            try
            {
                undo();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"cleanup: {e.Message}");
            }
#pragma warning restore CA1031
        }
    }
}
