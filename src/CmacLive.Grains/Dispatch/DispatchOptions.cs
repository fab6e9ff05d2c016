using CmacLive.Dispatch;

namespace CmacLive;

/// <summary>Dispatch settings, bound from the <c>Dispatch</c> configuration section.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>Road distance over straight-line distance, for travel times.</summary>
    public double RoadFactor { get; set; } = 1.4;

    /// <summary>Average travel speed, km/h, for travel times.</summary>
    public double SpeedKmh { get; set; } = 40;

    /// <summary>How many teams a request recommends.</summary>
    public int Recommendations { get; set; } = 3;

    /// <summary>A team within this many metres of the site is on site.</summary>
    public double OnSiteRadiusM { get; set; } = 200;

    /// <summary>A team that came this many metres closer since it acknowledged (or reports travelling) is en route.</summary>
    public double EnRouteProgressM { get; set; } = 100;

    /// <summary>An assignment not acknowledged within this raises an alert.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromMinutes(10);

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
    public TimeSpan PersonalDataRetention { get; set; } = TimeSpan.FromDays(180);

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
        public TimeSpan Emergency { get; set; } = TimeSpan.FromHours(2);

        public TimeSpan High { get; set; } = TimeSpan.FromHours(12);

        public TimeSpan Routine { get; set; } = TimeSpan.FromHours(72);

        public TimeSpan For(DispatchPriority priority) => priority switch
        {
            DispatchPriority.Emergency => Emergency,
            DispatchPriority.High => High,
            _ => Routine,
        };
    }
}
