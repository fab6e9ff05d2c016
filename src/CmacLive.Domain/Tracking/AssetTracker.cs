using CmacLive.Assets;

namespace CmacLive.Tracking;

/// <summary>
/// The tracking rules every asset kind shares, applied to an <see cref="AssetTrackState"/>:
/// newest-wins live position (a late or repeated fix never moves it), working state, battery,
/// online/offline, and the hazard area the asset stands in. Pure: time and area lookup come in.
/// </summary>
public sealed class AssetTracker
{
    private readonly AssetTrackState _state;

    public AssetTracker(AssetTrackState state) => _state = state;

    public AssetTrackState State => _state;

    public bool IsConfigured => _state.Profile is not null;

    /// <summary>Sets the profile. Significant when anything shown changed.</summary>
    public bool Configure(AssetProfile profile)
    {
        var before = _state.Profile;
        _state.Profile = profile;
        return before is null || before.Name != profile.Name || before.Unit != profile.Unit || before.Kind != profile.Kind
            || !before.Capabilities.SequenceEqual(profile.Capabilities);
    }

    public TrackChange ApplyFix(FixReport fix, DateTimeOffset now, IHazardAreaLocator areas)
    {
        var (wentOnline, seenLater) = Heard(fix.Ts, now);
        var current = _state.Position;
        if (current is not null && fix.Ts <= current.Ts)
        {
            var outcome = fix.Ts == current.Ts ? ReportOutcome.Duplicate : ReportOutcome.Late;
            return new TrackChange(outcome, StatusChanged: wentOnline || seenLater, Significant: wentOnline);
        }

        _state.Position = new Position
        {
            Lat = fix.Lat,
            Lon = fix.Lon,
            Acc = fix.Acc,
            Alt = fix.Alt,
            Spd = fix.Spd,
            Hdg = fix.Hdg,
            Ts = fix.Ts,
        };
        if (fix.Bat is { } bat)
        {
            _state.Battery = bat;
        }

        var area = areas.Locate(fix.Lat, fix.Lon);
        var areaChanged = area != _state.HazardArea;
        _state.HazardArea = area;
        return new TrackChange(ReportOutcome.Applied, StatusChanged: true, Significant: wentOnline || areaChanged);
    }

    public TrackChange ApplyStatus(StatusReport report, DateTimeOffset now)
    {
        var (wentOnline, seenLater) = Heard(report.Ts, now);
        if (_state.StateTs is { } seen && report.Ts <= seen)
        {
            if (report.Ts < seen)
            {
                NoteOvertaken(report);
            }

            var outcome = report.Ts == seen ? ReportOutcome.Duplicate : ReportOutcome.Late;
            return new TrackChange(outcome, StatusChanged: wentOnline || seenLater, Significant: wentOnline);
        }

        var stateChanged = _state.State != report.State;
        if (stateChanged && _state.State == AssetState.Working)
        {
            _state.LastWorkPeriod = new WorkPeriod(_state.StateTs ?? report.Ts, report.Ts, _state.WorkRun);
        }

        if (stateChanged && report.State == AssetState.Working)
        {
            _state.WorkRun++;
        }

        _state.State = report.State;
        _state.StateTs = report.Ts;
        if (report.Bat is { } bat && (_state.Position is null || report.Ts >= _state.Position.Ts))
        {
            _state.Battery = bat;
        }

        // The state's own time moved on even when the state stayed: that must be kept too, or a stale
        // redelivery could later undo a newer state.
        return new TrackChange(ReportOutcome.Applied, StatusChanged: true, Significant: wentOnline || stateChanged);
    }

    /// <summary>
    /// A status overtaken by a newer one (an SOS sent beside it, and answered first) never changes the state, but it still
    /// says when a working period began or ended, so the fixes sent after it count as they would have in order: a late
    /// <c>working</c> began a period that the newer status ended; another late state ended the last period sooner.
    /// </summary>
    private void NoteOvertaken(StatusReport late)
    {
        var last = _state.LastWorkPeriod;
        if (late.State == AssetState.Working)
        {
            if (_state.State != AssetState.Working && _state.StateTs is { } ended && (last is null || late.Ts >= last.Until))
            {
                _state.WorkRun++;
                _state.LastWorkPeriod = new WorkPeriod(late.Ts, ended, _state.WorkRun);
            }
        }
        else if (last is not null && late.Ts >= last.From && late.Ts < last.Until)
        {
            _state.LastWorkPeriod = last with { Until = late.Ts };
        }
    }

    /// <summary>Any other report (a detection) still proves the device is alive.</summary>
    public TrackChange ApplyHeard(DateTimeOffset deviceTs, DateTimeOffset now)
    {
        var (wentOnline, seenLater) = Heard(deviceTs, now);
        return new TrackChange(ReportOutcome.Applied, StatusChanged: wentOnline || seenLater, Significant: wentOnline);
    }

    /// <summary>Assigns the asset to a hazard area (or none). True when it changed; a new working period starts.</summary>
    public bool AssignTask(string? code)
    {
        if (_state.TaskArea == code)
        {
            return false;
        }

        _state.TaskArea = code;
        _state.WorkRun++;
        _state.LastWorkPeriod = null;
        return true;
    }

    /// <summary>
    /// The working period a fix taken at <paramref name="ts"/> (device time) belongs to, by its run number, or null when
    /// the asset was not working then: the current period from its status on, or the one just over, so that a fix
    /// overtaken by the status that ended its period still counts.
    /// </summary>
    public int? WorkRunAt(DateTimeOffset ts)
    {
        if (_state.State == AssetState.Working && _state.StateTs is { } since && ts >= since)
        {
            return _state.WorkRun;
        }

        return _state.LastWorkPeriod is { } last && ts >= last.From && ts < last.Until ? last.Run : null;
    }

    /// <summary>Goes offline when nothing was heard for <paramref name="timeout"/>. True when it changed.</summary>
    public bool CheckLiveness(DateTimeOffset now, TimeSpan timeout)
    {
        if (!_state.Online || _state.LastHeardAt is not { } heard || now - heard < timeout)
        {
            return false;
        }

        _state.Online = false;
        return true;
    }

    /// <summary>The device dropped without a clean disconnect: offline at once. True when it changed.</summary>
    public bool MarkOffline()
    {
        if (!_state.Online)
        {
            return false;
        }

        _state.Online = false;
        return true;
    }

    public AssetStatus ToStatus(string id)
    {
        var profile = _state.Profile ?? throw new InvalidOperationException($"asset '{id}' is not configured");
        return new AssetStatus
        {
            Id = id,
            Kind = profile.Kind,
            Name = profile.Name,
            Unit = profile.Unit,
            Position = _state.Position,
            State = _state.State,
            Online = _state.Online,
            Battery = _state.Battery,
            LastSeen = _state.LastSeen,
            HazardArea = _state.HazardArea,
            TaskArea = _state.TaskArea,
            Capabilities = profile.Capabilities,
            Dispatch = _state.Dispatch?.RequestId,
        };
    }

    /// <summary>Records that the device spoke; answers whether that brought it online and whether <c>lastSeen</c> moved on.</summary>
    private (bool WentOnline, bool SeenLater) Heard(DateTimeOffset deviceTs, DateTimeOffset now)
    {
        var seenLater = _state.LastSeen is not { } seen || deviceTs > seen;
        if (seenLater)
        {
            _state.LastSeen = deviceTs;
        }

        _state.LastHeardAt = now;
        var wentOnline = !_state.Online;
        _state.Online = true;
        return (wentOnline, seenLater);
    }
}
