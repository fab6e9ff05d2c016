using System.Globalization;
using CmacLive.Assets;
using CmacLive.Tracking;

namespace CmacLive.Alerts;

/// <summary>
/// The safety rules one asset can judge alone: SOS, entering an area it is not assigned to (after a
/// dwell, judged on device time, late fixes put in their place), going silent while assigned and
/// working, and a dog or rat working past its work period. Each raises once per episode and clears when
/// the episode is over. Signals go to <see cref="AssetAlertState.Outbox"/>. Pure: time comes in.
/// </summary>
public sealed class AssetAlertRules(string assetId, AssetTrackState track, AlertRules rules)
{
    /// <summary>At most this many sightings are kept; a run of this many in one area counts as dwelling.</summary>
    public const int MaxSightings = 64;

    private AssetAlertState Alerts => track.Alerts;

    private string Name => track.Profile?.Name ?? assetId;

    private bool IsAnimal => track.Profile?.Kind is AssetKind.Dog or AssetKind.Rat;

    /// <summary>A fix placed the asset in <paramref name="area"/> at device time <paramref name="ts"/> (late fixes too).</summary>
    public void OnPosition(DateTimeOffset ts, string? area, DateTimeOffset now)
    {
        // The sightings are in device-time order: a new one goes after the last not later than it, and the stale ones are
        // at the front (this runs for every fix: no scan of the whole list, nothing allocated but the sighting).
        var sightings = Alerts.Sightings;
        var at = sightings.Count - 1;
        while (at >= 0 && sightings[at].Ts > ts)
        {
            at--;
        }

        if (at >= 0 && sightings[at].Ts == ts)
        {
            return;
        }

        sightings.Insert(at + 1, new AreaSighting { Ts = ts, Area = area });
        var keepAfter = sightings[^1].Ts - rules.EntryDwell - TimeSpan.FromMinutes(1);
        var stale = 0;
        while (stale < sightings.Count && sightings[stale].Ts < keepAfter)
        {
            stale++;
        }

        sightings.RemoveRange(0, stale);
        if (sightings.Count > MaxSightings)
        {
            sightings.RemoveRange(0, sightings.Count - MaxSightings);
        }

        JudgeEntry(now);
        JudgeWorkPeriod(ts, now);
    }

    /// <summary>A newer working state was applied (already in <see cref="AssetTrackState.State"/>).</summary>
    public void OnState(AssetState state, DateTimeOffset ts, DateTimeOffset now)
    {
        if (state == AssetState.Sos && Alerts.Sos is null)
        {
            RaiseSos(ts, now);
        }
        else if (state != AssetState.Sos && Alerts.Sos is { } sos)
        {
            Clear(sos, now);
            Alerts.Sos = null;
            Alerts.SosSince = null;
        }

        if (IsAnimal)
        {
            if (state == AssetState.Working)
            {
                if (Alerts.WorkSince is null || (Alerts.RestSince is { } rest && ts - rest >= rules.AnimalRestPeriod))
                {
                    Alerts.WorkSince = ts;
                }

                Alerts.RestSince = null;
            }
            else
            {
                Alerts.RestSince ??= ts;
                if (Alerts.WorkPeriod is { } period)
                {
                    Clear(period, now);
                    Alerts.WorkPeriod = null;
                }
            }
        }

        JudgeWorkPeriod(ts, now);
    }

    /// <summary>The device spoke: a stale episode is over.</summary>
    public void OnHeard(DateTimeOffset now)
    {
        if (Alerts.Stale is { } stale)
        {
            Clear(stale, now);
            Alerts.Stale = null;
        }
    }

    /// <summary>The asset's task area changed (already in <see cref="AssetTrackState.TaskArea"/>).</summary>
    public void OnTaskChanged(DateTimeOffset now)
    {
        JudgeEntry(now);
        if (track.TaskArea is null && Alerts.Stale is { } stale)
        {
            Clear(stale, now);
            Alerts.Stale = null;
        }
    }

    /// <summary>The periodic look: silence while assigned and working; an animal's work period running out in silence.</summary>
    public void OnTick(DateTimeOffset now)
    {
        if (Alerts.Stale is null && track.TaskArea is { } task && track.State == AssetState.Working
            && track.LastHeardAt is { } heard && track.Profile is { } profile && now - heard >= rules.StaleAfterFor(profile.Kind))
        {
            var silent = (int)(now - heard).TotalSeconds;
            Alerts.Stale = Raise(AlertKinds.Stale, AlertSeverity.High, heard, now, task,
                $"{Name} ({assetId}) working in {task} has not reported for {silent} s");
        }

        JudgeWorkPeriod(now, now);
    }

    private void JudgeEntry(DateTimeOffset now)
    {
        var sightings = Alerts.Sightings;
        var newest = sightings.Count > 0 ? sightings[^1] : null;
        var foreign = newest?.Area is { } area && area != track.TaskArea ? area : null;
        if (Alerts.Entry is { } open && Alerts.EntryArea != foreign)
        {
            Clear(open, now);
            Alerts.Entry = null;
            Alerts.EntryArea = null;
        }

        if (foreign is null || Alerts.Entry is not null)
        {
            return;
        }

        var first = sightings.Count - 1;
        while (first > 0 && sightings[first - 1].Area == foreign)
        {
            first--;
        }

        var since = sightings[first].Ts;
        var dwelt = newest!.Ts - since >= rules.EntryDwell || (first == 0 && sightings.Count >= MaxSightings);
        if (dwelt)
        {
            var episode = Alerts.EntryEpisode is { } last && last >= since ? last.AddMilliseconds(1) : since;
            Alerts.Entry = Raise(AlertKinds.UnassignedEntry, AlertSeverity.High, episode, now, foreign,
                string.Create(CultureInfo.InvariantCulture, $"{Name} ({assetId}) is inside hazard area {foreign}, which it is not assigned to, since {since.UtcDateTime:HH:mm:ss}Z"));
            Alerts.EntryArea = foreign;
            Alerts.EntryEpisode = episode;
        }
    }

    /// <summary>
    /// A status older than the state in effect arrived (it was overtaken by an SOS sent beside it, and answered first).
    /// When it lies inside the open SOS episode and is not itself an SOS, that episode ended then, and the SOS in effect
    /// began a new one: its alert carries the SOS's own time, as the id the silo's fast lane already showed.
    /// </summary>
    public void OnOvertaken(AssetState late, DateTimeOffset lateTs, DateTimeOffset now)
    {
        if (late != AssetState.Sos && track.State == AssetState.Sos && track.StateTs is { } sosTs && lateTs < sosTs
            && Alerts.Sos is { } open && Alerts.SosSince is { } since && lateTs > since)
        {
            Clear(open, now);
            RaiseSos(sosTs, now);
        }
    }

    private void RaiseSos(DateTimeOffset ts, DateTimeOffset now)
    {
        var where = track.Position is { } p ? string.Create(CultureInfo.InvariantCulture, $" at {p.Lat:0.000000}, {p.Lon:0.000000}") : "";
        Alerts.Sos = Raise(AlertKinds.Sos, AlertSeverity.Critical, ts, now, track.HazardArea, $"SOS from {Name} ({assetId}){where}");
        Alerts.SosSince = ts;
    }

    private void JudgeWorkPeriod(DateTimeOffset at, DateTimeOffset now)
    {
        if (!IsAnimal || Alerts.WorkPeriod is not null || track.State != AssetState.Working || Alerts.WorkSince is not { } since
            || at - since < rules.AnimalWorkPeriod)
        {
            return;
        }

        var minutes = (int)(at - since).TotalMinutes;
        Alerts.WorkPeriod = Raise(AlertKinds.AnimalWorkPeriod, AlertSeverity.Warning, at, now, track.TaskArea ?? track.HazardArea,
            $"{Name} ({assetId}) has worked {minutes} min without a {(int)rules.AnimalRestPeriod.TotalMinutes} min rest");
    }

    private string Raise(string kind, AlertSeverity severity, DateTimeOffset episodeStart, DateTimeOffset now, string? area, string message)
    {
        var id = AlertIds.For(kind, assetId, episodeStart);
        Alerts.Outbox.Add(AlertSignal.Raise(new Alert
        {
            Id = id,
            Kind = kind,
            Severity = severity,
            AssetId = assetId,
            HazardArea = area,
            Unit = track.Profile?.Unit,
            Message = message,
            RaisedAt = now,
        }));
        return id;
    }

    private void Clear(string id, DateTimeOffset now) => Alerts.Outbox.Add(AlertSignal.Cleared(id, now));
}
