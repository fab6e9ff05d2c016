namespace CmacLive.Detections;

/// <summary>A device tried to decide a detection that is neither its asset's nor in its asset's task area.</summary>
[GenerateSerializer, Alias("cmac.DetectionForbiddenException")]
public sealed class DetectionForbiddenException : Exception
{
    public DetectionForbiddenException()
    {
    }

    public DetectionForbiddenException(string message)
        : base(message)
    {
    }

    public DetectionForbiddenException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
