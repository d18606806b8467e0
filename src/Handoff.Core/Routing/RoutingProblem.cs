namespace Handoff.Core.Routing;

/// <summary>
/// One thing wrong with routing settings, named by the JSON path of the field at fault (<c>week[2].closes</c>), so
/// the API can answer a problem that points at the field and the dashboard can mark it.
/// </summary>
public sealed record RoutingProblem(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
