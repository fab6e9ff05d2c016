namespace CmacLive.Devices;

/// <summary>A field GPS tracker or a detector.</summary>
public enum DeviceKind
{
    Tracker = 0,
    Detector = 1,
}
