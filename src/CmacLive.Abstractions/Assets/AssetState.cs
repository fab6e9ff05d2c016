namespace CmacLive.Assets;

/// <summary>The working state a device reports for its asset.</summary>
public enum AssetState
{
    Unknown = 0,
    Working = 1,
    Resting = 2,
    Travelling = 3,
    Standby = 4,
    Sos = 5,
}
