namespace CmacLive.Tracking;

/// <summary>The names of an asset's events, in history and on the wire.</summary>
public static class Movements
{
    public const string Entered = "entered";
    public const string Left = "left";
    public const string Online = "online";
    public const string Offline = "offline";
    public const string Alert = "alert";
}
