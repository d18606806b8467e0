namespace Handoff.Core.Policy;

/// <summary>A compiled <c>when</c> clause (or part of one). Pure: it reads the context and nothing else.</summary>
internal delegate bool Condition(EvalContext context);
