namespace Handoff.Browser.Tests.Infrastructure;

/// <summary>A dashboard account a test made, with the password it signs in with.</summary>
public sealed record Person(string Email, string Name, string Password);
