namespace Handoff.Core.Policy;

/// <summary>
/// A condition met a value it cannot judge: text where a number was asked for, a match that ran out of time.
/// Thrown instead of answering false, because false would let the case past the rule; <see cref="CompiledPolicy"/>
/// sends the case to a person instead.
/// </summary>
internal sealed class ConditionException(string message, Exception? innerException = null) : Exception(message, innerException);
