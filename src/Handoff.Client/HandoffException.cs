namespace Handoff.Client;

/// <summary>The base of every exception the Handoff client throws on its own account.</summary>
public class HandoffException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HandoffException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HandoffException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public HandoffException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
