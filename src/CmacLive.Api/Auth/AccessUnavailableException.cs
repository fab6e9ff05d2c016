namespace CmacLive.Api.Auth;

/// <summary>Whether a credential holds cannot be told now (its user's grain does not answer): 503, not 401, so nobody is signed out for it.</summary>
public sealed class AccessUnavailableException : Exception
{
    public AccessUnavailableException()
    {
    }

    public AccessUnavailableException(string message) : base(message)
    {
    }

    public AccessUnavailableException(string message, Exception inner) : base(message, inner)
    {
    }
}
