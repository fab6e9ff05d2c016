namespace CmacLive.Dispatch;

/// <summary>The step asked for is not allowed now (a closed request, a step backwards, a team already taken).</summary>
[GenerateSerializer, Alias("cmac.DispatchConflictException")]
public sealed class DispatchConflictException : Exception
{
    public DispatchConflictException()
    {
    }

    public DispatchConflictException(string message) : base(message)
    {
    }

    public DispatchConflictException(string message, Exception inner) : base(message, inner)
    {
    }
}
