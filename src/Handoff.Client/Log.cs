using Microsoft.Extensions.Logging;

namespace Handoff.Client;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Handoff {Method} {Path} failed ({Failure}); retrying in {Delay} (attempt {Attempt})")]
    public static partial void Retrying(ILogger logger, string method, string path, string failure, TimeSpan delay, int attempt);

    [LoggerMessage(2, LogLevel.Debug, "Handoff case {CaseId} has no decision yet ({Status}); waiting again")]
    public static partial void StillWaiting(ILogger logger, string caseId, CaseStatus status);

    [LoggerMessage(3, LogLevel.Error, "Refused the decision on case {CaseId}: its {Digest} does not match")]
    public static partial void DigestMismatch(ILogger logger, string caseId, string digest);
}
