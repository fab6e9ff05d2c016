using CmacLive.Assets;

namespace CmacLive.Dispatch;

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
    /// Why no team can be recommended (null when one can): no EOD-capable team is known, or each known one is unavailable,
    /// counted by why: offline, no position yet, in SOS, on another request.
    /// </summary>
    public static string? WhyNone(IReadOnlyCollection<AssetStatus> teams)
    {
        var eod = teams.Where(t => t.Kind == AssetKind.Team && t.Capabilities.Contains(DispatchRules.EodCapability)).ToList();
        if (eod.Count == 0)
        {
            return $"no team has the {DispatchRules.EodCapability} capability";
        }

        if (eod.Any(IsAvailable))
        {
            return null;
        }

        var why = new List<string>();
        Count(eod.Count(t => !t.Online), "offline (nothing heard within the offline timeout)");
        Count(eod.Count(t => t.Online && t.Position is null), "online with no position yet");
        Count(eod.Count(t => t.Online && t.Position is not null && t.State == AssetState.Sos), "in SOS");
        Count(eod.Count(t => t.Online && t.Position is not null && t.State != AssetState.Sos && t.Dispatch is not null), "on another request");
        return $"no {DispatchRules.EodCapability} team is available: {string.Join(", ", why)}";

        void Count(int n, string what)
        {
            if (n > 0)
            {
                why.Add($"{n} {what}");
            }
        }
    }

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
