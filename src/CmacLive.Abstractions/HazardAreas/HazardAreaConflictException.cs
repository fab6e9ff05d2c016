namespace CmacLive.HazardAreas;

/// <summary>The step asked for is not allowed now (a released area, a skipped step, an outcome that does not fit).</summary>
[GenerateSerializer, Alias("cmac.HazardAreaConflictException")]
public sealed class HazardAreaConflictException : Exception
{
    public HazardAreaConflictException()
    {
    }

    public HazardAreaConflictException(string message)
        : base(message)
    {
    }

    public HazardAreaConflictException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
