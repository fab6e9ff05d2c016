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
