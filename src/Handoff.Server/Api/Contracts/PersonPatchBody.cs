namespace Handoff.Server.Api.Contracts;

/// <summary>The body of <c>PATCH /v1/people/{id}</c>: the routing profile; absent fields stay as they are.</summary>
/// <param name="Skills">Lowercase tokens (<c>refunds</c>); the whole list, replacing the old one.</param>
/// <param name="Languages">Lowercase BCP 47 tags (<c>en</c>, <c>pt-br</c>).</param>
/// <param name="Capacity">1..100.</param>
/// <param name="Teams">Names of teams of the workspace.</param>
public sealed record PersonPatchBody(IReadOnlyList<string?>? Skills, IReadOnlyList<string?>? Languages, int? Capacity, IReadOnlyList<string?>? Teams);
