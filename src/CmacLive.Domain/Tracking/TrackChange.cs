using CmacLive.Assets;

namespace CmacLive.Tracking;

/// <summary>What applying a report did: its outcome, and whether the live status changed and how much it matters.</summary>
public readonly record struct TrackChange(ReportOutcome Outcome, bool StatusChanged, bool Significant)
{
    public static TrackChange None(ReportOutcome outcome) => new(outcome, false, false);

    /// <summary>Something every dashboard must see at once changed (a profile, a task, a dispatch), not from a report.</summary>
    public static TrackChange Shown { get; } = new(ReportOutcome.Applied, StatusChanged: true, Significant: true);
}
