namespace CmacLive.Detections;

[GenerateSerializer, Alias("cmac.DetectionState")]
public sealed class DetectionState
{
    [Id(0)] public Detection? Detection { get; set; }
}
