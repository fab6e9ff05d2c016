using System.Text.Json;
using CmacLive.History;
using CmacLive.Live;
using CmacLive.Tracking;
using Microsoft.Extensions.Logging;

namespace CmacLive.Assets;

/// <summary>
/// The grain plumbing all asset kinds share: it composes the <see cref="AssetTracker"/> rules with
/// persistence, the liveness timer and the live feed. State is written at once when something that
/// matters changes (profile, working state, online, hazard area) and otherwise at most every
/// <see cref="TrackingOptions.StatePersistInterval"/>, never on every fix.
/// </summary>
public abstract class AssetGrain : Grain, IAssetGrain
{
    private readonly AssetKind _kind;
    private readonly IPersistentState<AssetTrackState> _store;
    private readonly AssetGrainServices _services;
    private AssetTracker _tracker = new(new AssetTrackState());
    private IGrainTimer? _timer;
    private bool _dirty;
    private DateTimeOffset _savedAt;

    protected AssetGrain(AssetKind kind, IPersistentState<AssetTrackState> store, AssetGrainServices services)
    {
        _kind = kind;
        _store = store;
        _services = services;
    }

    private string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => _services.Time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The state object is the one storage read during activation; the tracker works on it in place.
        _tracker = new AssetTracker(_store.State);
        _savedAt = Now;
        var period = _services.Options.LivenessCheckPeriod;
        _timer = this.RegisterGrainTimer(OnTick, new GrainTimerCreationOptions(period, period) { Interleave = false });

        // Offline is judged on arrival time: catch up at once on whatever elapsed while inactive
        // (a silo that crashed left its assets stored as online).
        if (_tracker.IsConfigured && _tracker.CheckLiveness(Now, _services.Options.OfflineTimeout))
        {
            await CommitAsync(new TrackChange(ReportOutcome.Applied, true, true));
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        if (_dirty)
        {
            await SaveAsync();
        }
    }

    public async Task<AssetStatus> Configure(AssetProfile profile)
    {
        if (profile.Kind != _kind)
        {
            throw new AssetKindConflictException(Id, _kind, profile.Kind);
        }

        if (_tracker.Configure(profile) || !_store.RecordExists)
        {
            await CommitAsync(new TrackChange(ReportOutcome.Applied, true, true));
        }

        return _tracker.ToStatus(Id);
    }

    public Task<AssetStatus?> GetStatus() =>
        Task.FromResult(_tracker.IsConfigured ? _tracker.ToStatus(Id) : null);

    // Each report is in durable history before it touches live state, so what a dashboard sees and what
    // a device has had acknowledged are always in history; a repeated report is stored once.
    public async Task<ReportOutcome> ProcessFix(FixReport fix)
    {
        if (!_tracker.IsConfigured)
        {
            return NotConfigured(fix.DeviceId);
        }

        var receivedAt = Now;
        await _services.History.AppendAsync(new FixRecord(
            Id, fix.DeviceId, fix.Ts, fix.Lat, fix.Lon, fix.Acc, fix.Alt, fix.Spd, fix.Hdg, fix.Bat, receivedAt));
        return await CommitAsync(_tracker.ApplyFix(fix, receivedAt, _services.Areas));
    }

    public async Task<ReportOutcome> ProcessStatus(StatusReport report)
    {
        if (!_tracker.IsConfigured)
        {
            return NotConfigured(report.DeviceId);
        }

        var payload = JsonSerializer.Serialize(new { state = report.State.ToString().ToLowerInvariant(), bat = report.Bat });
        await _services.History.AppendAsync(new EventRecord(Id, report.DeviceId, "status", report.Ts, payload, Now));
        return await CommitAsync(_tracker.ApplyStatus(report, Now));
    }

    public async Task<ReportOutcome> ProcessDetection(DetectionReport detection)
    {
        if (!_tracker.IsConfigured)
        {
            return NotConfigured(detection.DeviceId);
        }

        var payload = JsonSerializer.Serialize(new
        {
            lat = detection.Lat,
            lon = detection.Lon,
            sensor = detection.Sensor.ToString().ToLowerInvariant(),
            strength = detection.Strength,
            depthCm = detection.DepthCm,
        });
        await _services.History.AppendAsync(new EventRecord(Id, detection.DeviceId, "detection", detection.Ts, payload, Now));
        return await CommitAsync(_tracker.ApplyHeard(detection.Ts, Now));
    }

    public async Task ConnectionLost(string deviceId)
    {
        if (_tracker.IsConfigured && _tracker.MarkOffline())
        {
            _services.Logger.LogInformation("Asset {AssetId} offline: device {DeviceId} lost its connection", Id, deviceId);
            await CommitAsync(new TrackChange(ReportOutcome.Applied, true, true));
        }
    }

    private async Task<ReportOutcome> CommitAsync(TrackChange change)
    {
        if (change.StatusChanged)
        {
            _dirty = true;
            await GrainFactory.GetGrain<IOpsFeedGrain>(0).Publish(_tracker.ToStatus(Id));
        }

        if (change.Significant)
        {
            await SaveAsync();
        }

        return change.Outcome;
    }

    private async Task OnTick(CancellationToken cancellationToken)
    {
        if (_tracker.CheckLiveness(Now, _services.Options.OfflineTimeout))
        {
            _services.Logger.LogInformation("Asset {AssetId} offline: nothing heard for {Timeout}", Id, _services.Options.OfflineTimeout);
            await CommitAsync(new TrackChange(ReportOutcome.Applied, true, true));
        }
        else if (_dirty && Now - _savedAt >= _services.Options.StatePersistInterval)
        {
            await SaveAsync();
        }
    }

    private async Task SaveAsync()
    {
        await _store.WriteStateAsync();
        _dirty = false;
        _savedAt = Now;
    }

    private ReportOutcome NotConfigured(string deviceId)
    {
        _services.Logger.LogWarning("Report from device {DeviceId} for asset {AssetId}, which is not configured", deviceId, Id);
        return ReportOutcome.UnknownDevice;
    }
}
