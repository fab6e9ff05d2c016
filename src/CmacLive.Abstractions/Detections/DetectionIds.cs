namespace CmacLive.Detections;

/// <summary>Detection ids: the reporting device and the device time of its report, so a repeated report is one detection.</summary>
public static class DetectionIds
{
    public static string For(string deviceId, DateTimeOffset ts) => $"{deviceId}-{ts.ToUnixTimeMilliseconds()}";
}
