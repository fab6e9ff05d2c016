namespace CmacLive.Simulator;

/// <summary>A local metric frame around a WGS84 origin: metres east and north to latitude and longitude.</summary>
public readonly record struct Terrain(double OriginLat, double OriginLon)
{
    private const double MetresPerDegree = 111_320;

    public (double Lat, double Lon) At(double east, double north) =>
        (OriginLat + north / MetresPerDegree, OriginLon + east / (MetresPerDegree * Math.Cos(OriginLat * Math.PI / 180)));

    /// <summary>Metres east and north of the origin for a WGS84 point (the inverse of <see cref="At"/>).</summary>
    public (double East, double North) Local(double lat, double lon) =>
        ((lon - OriginLon) * MetresPerDegree * Math.Cos(OriginLat * Math.PI / 180), (lat - OriginLat) * MetresPerDegree);

    /// <summary>Where the mobile EOD teams wait: the unit's base, a few kilometres from the minefield.</summary>
    public const double BaseEast = 4_000;
    public const double BaseNorth = 3_000;

    /// <summary>A confirmed hazard area near Samlot, Battambang: a 400 m × 300 m block of former front line.</summary>
    public static readonly Terrain Samlot = new(12.5710, 102.8240);

    public const double AreaWidth = 400;
    public const double AreaHeight = 300;
}
