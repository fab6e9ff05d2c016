namespace CmacLive.Api.Situation;

/// <summary>The situation at a glance (<c>GET /api/situation</c>, the hub's <c>situationUpdated</c>), bound from the <c>Situation</c> section.</summary>
public sealed class SituationOptions
{
    public const string Section = "Situation";

    /// <summary>How often the hub looks for changes and pushes <c>situationUpdated</c>: at most once per period to a dashboard.</summary>
    public TimeSpan PushPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A focused set of units is counted again after this long even if nothing was seen to change (the day turns, a push missed).</summary>
    public TimeSpan RefreshPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Distinct focus sets (the units dashboards are focused on) counted each period at most; the others wait their turn.</summary>
    public int MostFocusSets { get; set; } = 200;

    /// <summary>How long <c>GET /api/situation</c> waits, after a start, for the silo to have read every asset and area once (then 503).</summary>
    public TimeSpan SeedWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Every asset and area is read again this often, and the counts corrected where an update lost on its way (a silo that
    /// died with it) left them wrong; from a second to a day.
    /// </summary>
    public TimeSpan ReconcilePeriod { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsValid => PushPeriod > TimeSpan.Zero && RefreshPeriod >= PushPeriod && MostFocusSets >= 1 && SeedWait > TimeSpan.Zero
        && ReconcilePeriod >= TimeSpan.FromSeconds(1) && ReconcilePeriod <= TimeSpan.FromDays(1);
}
