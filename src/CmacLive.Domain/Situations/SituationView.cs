namespace CmacLive.Situations;

/// <summary>
/// The situation at a glance, for one set of units or (with <see cref="Units"/> empty) the whole cluster: what
/// <c>GET /api/situation</c> answers and the hub's <c>situationUpdated</c> pushes (docs/contract.md).
/// </summary>
public sealed record SituationView
{
    /// <summary>The units counted, upper case and in order; empty for every unit.</summary>
    public required IReadOnlyList<string> Units { get; init; }

    /// <summary>The report day "today" means (<c>Reports:UtcOffset</c>, UTC+7).</summary>
    public required DateOnly Day { get; init; }

    public required SituationAssets Assets { get; init; }

    public required SituationAreas Areas { get; init; }

    public required SituationFinds Finds { get; init; }

    public required SituationAlerts Alerts { get; init; }

    public required SituationRequests Requests { get; init; }
}
