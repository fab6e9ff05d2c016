namespace CmacLive.Tracking;

/// <summary>Answers which hazard area a point falls in.</summary>
public interface IHazardAreaLocator
{
    /// <summary>The code of the hazard area containing the WGS84 point, or null.</summary>
    string? Locate(double lat, double lon);
}
