namespace CmacLive.History;

/// <summary>One point of an asset's track.</summary>
public readonly record struct TrackPoint(DateTimeOffset Ts, double Lat, double Lon, double? Alt, double? Acc = null);
