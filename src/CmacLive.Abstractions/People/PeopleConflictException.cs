namespace CmacLive.People;

/// <summary>A change that contradicts what is stored: an API key name in use, a key id bound to another user.</summary>
[GenerateSerializer, Alias("cmac.PeopleConflictException")]
public sealed class PeopleConflictException : Exception
{
    public PeopleConflictException()
    {
    }

    public PeopleConflictException(string message) : base(message)
    {
    }

    public PeopleConflictException(string message, Exception inner) : base(message, inner)
    {
    }
}
