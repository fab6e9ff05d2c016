namespace CmacLive.Detections;

/// <summary>The decision contradicts an earlier one (a find cannot become clutter or another find).</summary>
[GenerateSerializer, Alias("cmac.DetectionConflictException")]
public sealed class DetectionConflictException : Exception
{
    public DetectionConflictException()
    {
    }

    public DetectionConflictException(string message)
        : base(message)
    {
    }

    public DetectionConflictException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
