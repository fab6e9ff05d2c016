namespace CmacLive.Situations;

/// <summary>
/// Open dispatch requests by priority (every priority named), and how many of them are overdue: no team on site by the
/// priority's target (<c>Dispatch:OnSiteTarget</c>), as their open <c>dispatch-overdue</c> alert says.
/// </summary>
public sealed record SituationRequests
{
    public required IReadOnlyDictionary<string, int> OpenByPriority { get; init; }

    public required int Overdue { get; init; }
}
