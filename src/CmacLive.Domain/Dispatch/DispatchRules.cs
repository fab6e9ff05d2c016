using CmacLive.Assets;

namespace CmacLive.Dispatch;

/// <summary>The settings the dispatch rules work by (bound from <c>Dispatch</c> in the grains' options).</summary>
public sealed record DispatchRules
{
    /// <summary>The capability an asset needs to be sent to a request.</summary>
    public const string EodCapability = "eod";

    /// <summary>Road distance over straight-line distance.</summary>
    public double RoadFactor { get; init; } = 1.4;

    /// <summary>Average travel speed on those roads.</summary>
    public double SpeedKmh { get; init; } = 40;

    /// <summary>How many teams a request recommends.</summary>
    public int Recommendations { get; init; } = 3;

    /// <summary>A team within this distance of the site is on site.</summary>
    public double OnSiteRadiusM { get; init; } = 200;

    /// <summary>A team that came this much closer to the site since it acknowledged is en route.</summary>
    public double EnRouteProgressM { get; init; } = 100;

    /// <summary>An assignment not acknowledged within this is escalated.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>By priority: how long after reception a team must be on site.</summary>
    public Func<DispatchPriority, TimeSpan> OnSiteTarget { get; init; } = p => p switch
    {
        DispatchPriority.Emergency => TimeSpan.FromHours(2),
        DispatchPriority.High => TimeSpan.FromHours(12),
        _ => TimeSpan.FromHours(72),
    };

    /// <summary>How long after a request closes its reporter's name and phone are kept.</summary>
    public TimeSpan PersonalDataRetention { get; init; } = TimeSpan.FromDays(180);

    /// <summary>Unit by province name (case and spacing ignored), for requests that name no unit.</summary>
    public Func<string, string?> UnitOfProvince { get; init; } = _ => null;

    /// <summary>Estimated travel time in minutes for a straight-line distance.</summary>
    public double EtaMinutes(double distanceM) => distanceM * RoadFactor / (SpeedKmh * 1000 / 60);
}

/// <summary>The priority of a request, from what was found and what is near it.</summary>
public static class Triage
{
    /// <summary>
    /// Emergency: anything near a school, or a cluster munition near people. High: anything else near people
    /// or a road, and any cluster munition or mine. Routine: UXO or an unknown item away from people, schools and roads.
    /// </summary>
    public static DispatchPriority PriorityOf(DispatchReport report)
    {
        if (report.NearSchool || (report.NearPeople && report.Found == FoundItem.ClusterMunition))
        {
            return DispatchPriority.Emergency;
        }

        if (report.NearPeople || report.NearRoad || report.Found is FoundItem.ClusterMunition or FoundItem.Mine)
        {
            return DispatchPriority.High;
        }

        return DispatchPriority.Routine;
    }
}

/// <summary>Ranks the teams that could go to a site.</summary>
public static class TeamRanking
{
    /// <summary>Mean Earth radius (IUGG), for great-circle distances.</summary>
    public const double EarthRadiusM = 6_371_008.8;

    /// <summary>Great-circle distance in metres between two WGS84 points (haversine).</summary>
    public static double DistanceM(double lat1, double lon1, double lat2, double lon2)
    {
        const double rad = Math.PI / 180;
        var dLat = (lat2 - lat1) * rad;
        var dLon = (lon2 - lon1) * rad;
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(lat1 * rad) * Math.Cos(lat2 * rad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusM * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Available: an EOD-capable team, online, with a position, not in SOS and not on another request.</summary>
    public static bool IsAvailable(AssetStatus team) =>
        team.Kind == AssetKind.Team && team.Capabilities.Contains(DispatchRules.EodCapability)
        && team.Online && team.Position is not null && team.State != AssetState.Sos && team.Dispatch is null;

    /// <summary>
    /// The available teams nearest the site first (by estimated travel time, which orders as distance does);
    /// on a tie the team of <paramref name="homeUnit"/> first, then by id. At most <see cref="DispatchRules.Recommendations"/>.
    /// </summary>
    public static IReadOnlyList<Recommendation> Rank(double lat, double lon, string? homeUnit, IEnumerable<AssetStatus> teams, DispatchRules rules) =>
        [.. teams.Where(IsAvailable)
            .Select(t => (Team: t, Distance: DistanceM(t.Position!.Lat, t.Position.Lon, lat, lon)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Team.Unit == homeUnit ? 0 : 1)
            .ThenBy(c => c.Team.Id, StringComparer.Ordinal)
            .Take(Math.Max(1, rules.Recommendations))
            .Select(c => new Recommendation
            {
                TeamId = c.Team.Id,
                Name = c.Team.Name,
                Unit = c.Team.Unit,
                DistanceM = Math.Round(c.Distance),
                EtaMinutes = Math.Round(rules.EtaMinutes(c.Distance), 1),
            })];
}
