using CmacLive.Dispatch;

namespace CmacLive;

/// <summary>Dispatch settings, bound from the <c>Dispatch</c> configuration section.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    // The rules' own defaults are the settings' defaults: said once, in the domain.
    private static readonly DispatchRules Defaults = new();

    /// <summary>Road distance over straight-line distance, for travel times.</summary>
    public double RoadFactor { get; set; } = Defaults.RoadFactor;

    /// <summary>Average travel speed, km/h, for travel times.</summary>
    public double SpeedKmh { get; set; } = Defaults.SpeedKmh;

    /// <summary>How many teams a request recommends.</summary>
    public int Recommendations { get; set; } = Defaults.Recommendations;

    /// <summary>A team within this many metres of the site is on site.</summary>
    public double OnSiteRadiusM { get; set; } = Defaults.OnSiteRadiusM;

    /// <summary>A team that came this many metres closer since it acknowledged (or reports travelling) is en route.</summary>
    public double EnRouteProgressM { get; set; } = Defaults.EnRouteProgressM;

    /// <summary>An assignment not acknowledged within this raises an alert.</summary>
    public TimeSpan AckTimeout { get; set; } = Defaults.AckTimeout;

    /// <summary>How long after reception a team must be on site, per priority (<c>OnSiteTarget:Emergency</c>, <c>:High</c>, <c>:Routine</c>).</summary>
    public PerPriority OnSiteTarget { get; set; } = new();

    /// <summary>The unit answering for a province (<c>ProvinceUnits:Battambang=DU5</c>), for requests that name no unit.</summary>
    public Dictionary<string, string> ProvinceUnits { get; set; } = [];

    /// <summary>
    /// How often an open request checks its deadlines and sends an unacknowledged assignment again (an Orleans
    /// reminder, so it survives the loss of a silo). Escalations fire at the first check after their due time.
    /// </summary>
    public TimeSpan EscalationCheck { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after a request closes (resolved or cancelled) its reporter's name and phone are kept; then the
    /// request erases them from its stored state for good (checked on the request's reminder, and when it is read
    /// again after a restart).
    /// </summary>
    public TimeSpan PersonalDataRetention { get; set; } = Defaults.PersonalDataRetention;

    public DispatchRules ToRules()
    {
        var provinces = ProvinceUnits.ToDictionary(p => Normalize(p.Key), p => p.Value.Trim().ToUpperInvariant());
        var targets = OnSiteTarget;
        return new DispatchRules
        {
            RoadFactor = RoadFactor,
            SpeedKmh = SpeedKmh,
            Recommendations = Recommendations,
            OnSiteRadiusM = OnSiteRadiusM,
            EnRouteProgressM = EnRouteProgressM,
            AckTimeout = AckTimeout,
            PersonalDataRetention = PersonalDataRetention,
            OnSiteTarget = targets.For,
            UnitOfProvince = province => provinces.GetValueOrDefault(Normalize(province)),
        };
    }

    private static string Normalize(string province) => string.Join(' ', province.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    /// <summary>One target per priority.</summary>
    public sealed class PerPriority
    {
        public TimeSpan Emergency { get; set; } = Defaults.OnSiteTarget(DispatchPriority.Emergency);

        public TimeSpan High { get; set; } = Defaults.OnSiteTarget(DispatchPriority.High);

        public TimeSpan Routine { get; set; } = Defaults.OnSiteTarget(DispatchPriority.Routine);

        public TimeSpan For(DispatchPriority priority) => priority switch
        {
            DispatchPriority.Emergency => Emergency,
            DispatchPriority.High => High,
            _ => Routine,
        };
    }
}
