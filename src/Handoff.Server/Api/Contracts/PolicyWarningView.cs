namespace Handoff.Server.Api.Contracts;

/// <summary>A warning about a published policy: the field (<c>rules[2].team</c>), its line, and what is wrong.</summary>
public sealed record PolicyWarningView(string Field, int Line, string Message);
