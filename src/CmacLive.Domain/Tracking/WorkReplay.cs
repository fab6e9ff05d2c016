using CmacLive.Assets;
using CmacLive.HazardAreas;
using CmacLive.History;

namespace CmacLive.Tracking;

/// <summary>
/// Rebuilds from history the work points an asset handed (or should have handed) to its task area: each stored fix
/// after <c>since</c> that fell in a working period, with the run number that period had, and the end of each working
/// period, exactly as the live path does (a fix counts from the time of the working status on; a period ends at the
/// first other status). Pure: what happened comes in.
/// </summary>
public static class WorkReplay
{
    /// <param name="fixes">The asset's fixes after <paramref name="since"/>, oldest first.</param>
    /// <param name="statuses">The asset's statuses, oldest first, from before <paramref name="since"/> on (the one in effect then included).</param>
    /// <param name="currentRun">The run number of the asset's current (newest) working period.</param>
    /// <param name="before">The state in effect before the first status given (when none is older than a fix).</param>
    public static List<WorkSample> Samples(
        string assetId,
        AssetKind kind,
        DateTimeOffset since,
        IReadOnlyList<TrackPoint> fixes,
        IReadOnlyList<(DateTimeOffset Ts, AssetState State)> statuses,
        int currentRun,
        AssetState before)
    {
        // The run of each status: the current run, less the working periods that began after it.
        var runs = new int[statuses.Count];
        var run = currentRun;
        for (var i = statuses.Count - 1; i >= 0; i--)
        {
            runs[i] = run;
            if (statuses[i].State == AssetState.Working && (i == 0 ? before : statuses[i - 1].State) != AssetState.Working)
            {
                run--;
            }
        }

        var samples = new List<WorkSample>();
        var next = 0; // the first status not yet in effect
        TrackPoint? last = null;
        foreach (var fix in fixes)
        {
            if (fix.Ts <= since)
            {
                continue;
            }

            while (next < statuses.Count && statuses[next].Ts <= fix.Ts)
            {
                var wasWorking = (next == 0 ? before : statuses[next - 1].State) == AssetState.Working;
                if (wasWorking && statuses[next].State != AssetState.Working && last is { } end && statuses[next].Ts > since)
                {
                    samples.Add(Sample(assetId, kind, runs[next], statuses[next].Ts, end, working: false));
                }

                next++;
            }

            var state = next == 0 ? before : statuses[next - 1].State;
            if (state == AssetState.Working)
            {
                samples.Add(Sample(assetId, kind, next == 0 ? currentRun : runs[next - 1], fix.Ts, fix, working: true));
            }

            last = fix;
        }

        return samples;
    }

    private static WorkSample Sample(string assetId, AssetKind kind, int run, DateTimeOffset ts, TrackPoint at, bool working) => new()
    {
        AssetId = assetId,
        Kind = kind,
        Run = run,
        Ts = ts,
        Lat = at.Lat,
        Lon = at.Lon,
        Acc = at.Acc,
        Working = working,
    };
}
