using CmacLive.Assets;

namespace CmacLive.Ingestion;

/// <summary>What became of a device's secret: accepted (with the asset it reports for), refused, or not checked (a back-off, a check of the device under way).</summary>
public readonly record struct SecretCheck(AssetRef? Asset, TimeSpan? Backoff, bool Busy)
{
    public static SecretCheck Refused => default;

    public static SecretCheck NotNow => new(null, null, true);

    public static SecretCheck Accepted(AssetRef asset) => new(asset, null, false);

    public static SecretCheck BackingOff(TimeSpan wait) => new(null, wait, false);
}
