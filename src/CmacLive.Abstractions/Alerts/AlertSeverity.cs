namespace CmacLive.Alerts;

/// <summary>How urgently the command centre must act.</summary>
public enum AlertSeverity
{
    Info = 0,
    Warning = 1,
    High = 2,
    Critical = 3,
}
