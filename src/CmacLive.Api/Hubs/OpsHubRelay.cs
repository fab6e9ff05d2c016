using System.Threading.Channels;
using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Dispatch;
using CmacLive.HazardAreas;
using CmacLive.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmacLive.Api.Hubs;

/// <summary>
/// This silo's one observer of the cluster's live updates: it registers itself with the hub registry
/// (and renews the registration), takes batches from every silo's feed and sends them to the
/// dashboards connected here. Incoming updates are coalesced by asset and area until the send loop
/// takes them, so a slow moment never grows memory beyond one entry per asset (and at most
/// <see cref="Pending.MostEvents"/> movements, which are in history) and never drops the newest state of anything. A request goes to the dashboards that see personal data as it is, and to those that
/// may not (viewers) with its reporter masked: masked once per batch, sent once to each set of groups (<see cref="OpsHub"/>).
/// Alerts never go missing: each carries the ledger's sequence number, and the hub asks the ledger for the changes it did
/// not receive (<see cref="IAlertLedgerGrain.Since"/>) when it sees a gap, when it registers again after a silo died, and
/// every <see cref="CatchUpPeriod"/> in any case (a push lost with the last change leaves no gap to see).
/// </summary>
public sealed partial class OpsHubRelay(
    IGrainFactory grains,
    HubDirectory hubs,
    IHubContext<OpsHub> hub,
    OpsHubConnections connections,
    OpsHubLifetimeManager lifetime,
    SiloDeathNotices deaths,
    Situation.SituationBoard situation,
    ILocalSiloDetails silo,
    ILogger<OpsHubRelay> logger) : BackgroundService, IOpsObserver
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(2);

    /// <summary>After a send timed out, a dashboard that cannot take a ping this soon is cut off (<see cref="OpsHubLifetimeManager"/>).</summary>
    public static readonly TimeSpan PingWithin = TimeSpan.FromSeconds(1);

    /// <summary>How often the hub asks the ledger for alert changes it may have missed, when nothing else prompted it.</summary>
    public static readonly TimeSpan CatchUpPeriod = TimeSpan.FromSeconds(5);

    /// <summary>A gap in the alerts' sequence may only be pushes arriving out of order: this long, then the ledger is asked.</summary>
    private static readonly TimeSpan GapGrace = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan LedgerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a change the ledger has and this hub lacks may still be on its way in a push (a loaded feed).</summary>
    private static readonly TimeSpan ConfirmGrace = TimeSpan.FromSeconds(2);

    /// <summary>More units than this in <see cref="_unitGroups"/> and it starts again (units are a handful; this only bounds it).</summary>
    private const int MostUnits = 1000;

    // Registered under the silo's address, so the registry can drop it once the cluster declares this silo dead.
    private readonly string _siloKey = silo.SiloAddress.ToParsableString();

    private readonly Lock _pendingLock = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private Pending _pending = new();

    // The ledger's sequence: every alert change up to _alertHead has reached this hub (-1: not known yet); those after it
    // that arrived are in _alertsReceived. Guarded by _pendingLock.
    private long _alertHead = -1;
    private readonly HashSet<long> _alertsReceived = [];

    // Wakes the catch-up loop: a gap was seen, or this hub registered again.
    private readonly Channel<TimeSpan> _catchUpNow = Channel.CreateBounded<TimeSpan>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    // Assets whose last update sent here was an SOS: touched only by the send loop.
    private readonly HashSet<string> _inSos = new(StringComparer.Ordinal);

    // Each unit's group names, so the hot path does not build them for every update: touched only by the send loop.
    private readonly Dictionary<string, UnitGroups> _unitGroups = new(StringComparer.Ordinal);
    private readonly UnitGroups _noUnit = new([OpsHub.Connected, OpsHub.ConnectedMasked], [OpsHub.Connected], [OpsHub.ConnectedMasked], [], "");
    private readonly string[] _everyAsset = [OpsHub.EveryAssetGroup(batched: false)];

    private IOpsObserver? _self;
    private volatile bool _ready;

    /// <summary>
    /// True once every feed in the cluster is sure to send here: the first registration succeeded and the
    /// feeds' observer lists have since been refreshed. Dashboards connected before then could miss updates.
    /// </summary>
    public bool IsReady => _ready;

    public Task OnHubs(IReadOnlyList<OpsHubEntry> known)
    {
        hubs.Update(known);
        return Task.CompletedTask;
    }

    public Task OnUpdates(OpsUpdateBatch batch)
    {
        situation.Observe(batch);
        var gap = false;
        lock (_pendingLock)
        {
            if (batch.Alerts.Count > 0)
            {
                batch = batch with { Alerts = Sequenced(batch.Alerts, out gap) };
            }

            _pending.Add(batch);
        }

        _wake.Writer.TryWrite(true);
        if (gap)
        {
            _catchUpNow.Writer.TryWrite(GapGrace);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The alert updates of a batch this hub has not had yet (a catch-up may have brought them first), noting their
    /// sequence numbers; <paramref name="gap"/> when one is missing before them. Provisional alerts have no number.
    /// </summary>
    private IReadOnlyList<AlertUpdate> Sequenced(IReadOnlyList<AlertUpdate> updates, out bool gap)
    {
        gap = false;
        if (_alertHead < 0)
        {
            return updates; // the ledger's position is not known yet; the first catch-up sets it
        }

        List<AlertUpdate>? kept = null;
        for (var i = 0; i < updates.Count; i++)
        {
            var seq = updates[i].Alert.Seq;
            var fresh = seq == 0 || (seq > _alertHead && _alertsReceived.Add(seq));
            if (!fresh)
            {
                kept ??= [.. updates.Take(i)];
                continue;
            }

            kept?.Add(updates[i]);
            if (seq > _alertHead + _alertsReceived.Count)
            {
                gap = true; // more numbers above the head than were received: one is missing
            }
        }

        return kept ?? updates;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _self = grains.CreateObjectReference<IOpsObserver>(this);
        hubs.AttachLocal(_siloKey, this);
        var sending = SendLoopAsync(stoppingToken);
        var catchingUp = CatchUpLoopAsync(stoppingToken);

        // Until the first registration succeeds the dashboards here would miss updates: retried soon.
        await SiloRegistration.KeepAsync(RegisterAsync, OpsHubRegistry.ObserverRefresh, deaths.Listen(), LogRegisterFailed, stoppingToken);
        await sending;
        await catchingUp;
    }

    private async Task RegisterAsync(CancellationToken stoppingToken)
    {
        hubs.Update(await grains.GetGrain<IOpsHubRegistryGrain>(0).Register(_siloKey, _self!));
        _catchUpNow.Writer.TryWrite(TimeSpan.Zero); // the feeds may have missed this hub until now
        if (!_ready)
        {
            await Task.Delay(OpsHubRegistry.ObserverRefresh, stoppingToken);
            _ready = true;
        }
    }

    /// <summary>Asks the ledger for the alert changes this hub missed: every <see cref="CatchUpPeriod"/>, or sooner when woken.</summary>
    private async Task CatchUpLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var confirm = true;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                wait.CancelAfter(CatchUpPeriod);
                try
                {
                    var grace = await _catchUpNow.Reader.ReadAsync(wait.Token);
                    await Task.Delay(grace, stoppingToken);
                    confirm = grace > TimeSpan.Zero; // a gap may be pushes out of order; a new registration is not
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // the period is up
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            try
            {
                await CatchUpAsync(confirm, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogCatchUpFailed(ex);
            }
        }
    }

    /// <summary>
    /// Sends this hub the alert changes the ledger has and the hub did not receive. With <paramref name="confirm"/>, changes
    /// found missing are asked for once more after <see cref="ConfirmGrace"/> first: under load a push can take longer
    /// than a change takes to reach the ledger, and a change still on its way is not missed.
    /// </summary>
    private async Task CatchUpAsync(bool confirm, CancellationToken stoppingToken)
    {
        long head;
        lock (_pendingLock)
        {
            head = _alertHead;
        }

        // The first time, only the ledger's position: dashboards read the open alerts when they connect.
        var changes = await grains.GetGrain<IAlertLedgerGrain>(0).Since(head < 0 ? long.MaxValue : head).WaitAsync(LedgerTimeout, stoppingToken);
        if (confirm && head >= 0 && AnyMissing(changes))
        {
            await Task.Delay(ConfirmGrace, stoppingToken);
            await CatchUpAsync(confirm: false, stoppingToken);
            return;
        }

        List<AlertUpdate> missed = [];
        lock (_pendingLock)
        {
            if (_alertHead < 0)
            {
                _alertHead = changes.Head;
                _alertsReceived.RemoveWhere(s => s <= changes.Head);
                return;
            }

            foreach (var alert in changes.Alerts)
            {
                if (alert.Seq <= _alertHead || _alertsReceived.Contains(alert.Seq))
                {
                    continue;
                }

                // Raised for the dashboards unless this hub had the raising itself.
                var raised = alert.RaisedSeq > _alertHead && !_alertsReceived.Contains(alert.RaisedSeq);
                missed.Add(new AlertUpdate { Alert = alert, Raised = raised });
            }

            if (changes.Head > _alertHead)
            {
                _alertHead = changes.Head;
                _alertsReceived.RemoveWhere(s => s <= changes.Head);
            }

            if (missed.Count > 0)
            {
                _pending.Add(new OpsUpdateBatch { Alerts = missed });
            }
        }

        if (missed.Count > 0)
        {
            situation.Observe(new OpsUpdateBatch { Alerts = missed }); // its units' situations are counted again too
            LogCaughtUp(missed.Count);
            _wake.Writer.TryWrite(true);
        }
    }

    private bool AnyMissing(AlertChanges changes)
    {
        lock (_pendingLock)
        {
            return changes.Alerts.Any(a => a.Seq > _alertHead && !_alertsReceived.Contains(a.Seq));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IOpsHubRegistryGrain>(0).Unregister(_siloKey);
        }
        catch (Exception ex)
        {
            LogRegisterFailed(ex);
        }

        if (_self is not null)
        {
            grains.DeleteObjectReference<IOpsObserver>(_self);
        }

        _wake.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in _wake.Reader.ReadAllAsync(stoppingToken))
            {
                Pending? batch = null;
                try
                {
                    // A dashboard on a poor link must not hold up the others: a send that takes longer
                    // than this is abandoned for that connection.
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    timeout.CancelAfter(SendTimeout);
                    batch = TakePending();
                    if (batch.DroppedEvents > 0)
                    {
                        LogEventsDropped(batch.DroppedEvents, Pending.MostEvents);
                    }
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await SendAsync(batch, timeout.Token);
                    if (System.Diagnostics.Stopwatch.GetElapsedTime(started) is { TotalMilliseconds: > 500 } took)
                    {
                        LogSlowSend((long)took.TotalMilliseconds, batch.Alerts.Count, batch.Assets.Count);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogSendFailed(ex);
                    await lifetime.CutOffStuckAsync(PingWithin, stoppingToken);
                    if (batch is not null)
                    {
                        // What a stuck dashboard held up is sent again in the next round (anything newer waiting wins), so
                        // no other dashboard is left with a position, area, request or alert it never got.
                        lock (_pendingLock)
                        {
                            _pending.Restore(batch);
                        }

                        _wake.Writer.TryWrite(true);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Pending TakePending()
    {
        lock (_pendingLock)
        {
            var taken = _pending;
            _pending = new();
            return taken;
        }
    }

    private async Task SendAsync(Pending batch, CancellationToken cancellationToken)
    {
        // Alerts first: a safety alert must never wait behind a burst of position updates.
        foreach (var update in batch.Alerts.Values)
        {
            var alert = update.Alert;
            // A critical alert (an SOS) reaches every dashboard, whatever units it is focused on.
            var clients = alert.Unit is { } unit && alert.Severity != AlertSeverity.Critical
                ? hub.Clients.Groups(GroupsOf(unit).Both)
                : hub.Clients.All;
            await clients.SendAsync(update.Raised ? "alertRaised" : "alertUpdated", alert, cancellationToken);
        }

        await SendAssetsAsync(batch.Assets.Values, cancellationToken);

        foreach (var movement in batch.Events)
        {
            // As the asset's alerts: to the dashboards that see its unit (a movement names no person).
            await hub.Clients.Groups(GroupsOf(movement.Unit).Both).SendAsync("assetEvent", movement, cancellationToken);
        }

        foreach (var area in batch.Areas.Values)
        {
            await hub.Clients.All.SendAsync("hazardAreaUpdated", area, cancellationToken);
        }

        foreach (var request in batch.Requests.Values)
        {
            // A request of no unit yet reaches every dashboard, whatever its focus.
            var groups = request.Unit is { } unit ? GroupsOf(unit) : _noUnit;
            var masked = PersonalData.Masked(request);
            if (ReferenceEquals(masked, request))
            {
                await hub.Clients.Groups(groups.Both).SendAsync("dispatchUpdated", request, cancellationToken); // names no reporter
                continue;
            }

            await hub.Clients.Groups(groups.Full).SendAsync("dispatchUpdated", request, cancellationToken);
            await hub.Clients.Groups(groups.Masked).SendAsync("dispatchUpdated", masked, cancellationToken);
        }
    }

    /// <summary>
    /// Assets' updates: one by one (<c>assetUpdated</c>) to the dashboards that take them so, and as arrays
    /// (<c>assetsUpdated</c>) to those that take them in batches: to those focused on no unit one array, to those focused on
    /// a unit one of its assets. An asset in SOS, and its first update after it, which ends the SOS on every map, reach
    /// every dashboard whatever its focus.
    /// </summary>
    private async Task SendAssetsAsync(IReadOnlyCollection<AssetStatus> statuses, CancellationToken cancellationToken)
    {
        if (statuses.Count == 0)
        {
            return;
        }

        var single = connections.Single > 0;
        var batched = connections.Batched > 0;
        List<AssetStatus>? everyone = null;
        List<AssetStatus>? unfocused = null;
        List<string>? sosEnded = null;
        Dictionary<string, List<AssetStatus>>? byUnit = null;
        foreach (var status in statuses)
        {
            bool toEveryone;
            if (status.State == AssetState.Sos)
            {
                _inSos.Add(status.Id);
                toEveryone = true;
            }
            else
            {
                // Forgotten only once sent: a batch sent again after a failure still takes the end of an SOS to everyone.
                toEveryone = _inSos.Contains(status.Id);
                if (toEveryone)
                {
                    (sosEnded ??= []).Add(status.Id);
                }
            }

            if (single)
            {
                await hub.Clients.Groups(toEveryone ? _everyAsset : GroupsOf(status.Unit).Single).SendAsync("assetUpdated", status, cancellationToken);
            }

            if (!batched)
            {
                continue;
            }

            if (toEveryone)
            {
                (everyone ??= []).Add(status);
                continue;
            }

            (unfocused ??= new List<AssetStatus>(statuses.Count)).Add(status);
            byUnit ??= new Dictionary<string, List<AssetStatus>>(StringComparer.Ordinal);
            if (!byUnit.TryGetValue(status.Unit, out var ofUnit))
            {
                byUnit[status.Unit] = ofUnit = [];
            }

            ofUnit.Add(status);
        }

        if (everyone is not null)
        {
            await hub.Clients.Group(OpsHub.EveryAssetGroup(batched: true)).SendAsync("assetsUpdated", everyone, cancellationToken);
        }

        if (unfocused is not null)
        {
            await hub.Clients.Group(OpsHub.AssetGroup(null, batched: true)).SendAsync("assetsUpdated", unfocused, cancellationToken);
        }

        foreach (var (unit, ofUnit) in byUnit ?? [])
        {
            await hub.Clients.Group(GroupsOf(unit).Batched).SendAsync("assetsUpdated", ofUnit, cancellationToken);
        }

        foreach (var id in sosEnded ?? [])
        {
            _inSos.Remove(id);
        }
    }

    /// <summary>The groups of dashboards that see <paramref name="unit"/>: unfocused ones and those focused on it, of both kinds.</summary>
    private UnitGroups GroupsOf(string unit)
    {
        if (!_unitGroups.TryGetValue(unit, out var groups))
        {
            if (_unitGroups.Count >= MostUnits)
            {
                _unitGroups.Clear();
            }

            string[] full = [OpsHub.Everything, OpsHub.UnitGroup(unit)];
            string[] masked = [OpsHub.EverythingMasked, OpsHub.MaskedUnitGroup(unit)];
            groups = new UnitGroups([.. full, .. masked], full, masked,
                [OpsHub.AssetGroup(null, batched: false), OpsHub.AssetGroup(unit, batched: false)], OpsHub.AssetGroup(unit, batched: true));
            _unitGroups[unit] = groups;
        }

        return groups;
    }

    /// <summary>
    /// Group names for one unit: for requests and alerts, <see cref="Both"/> kinds of dashboard, those that see personal data
    /// (<see cref="Full"/>), those that see it <see cref="Masked"/>; for assets' updates, those that take them one by one
    /// (<see cref="Single"/>, focused on the unit or on none) and in batches (<see cref="Batched"/>, focused on the unit).
    /// </summary>
    private sealed record UnitGroups(string[] Both, string[] Full, string[] Masked, string[] Single, string Batched);

    /// <summary>Updates waiting for the send loop: the newest of each asset, area and alert (an alert raised meanwhile stays raised), and every movement.</summary>
    private sealed class Pending
    {
        public Dictionary<string, AssetStatus> Assets { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, HazardAreaView> Areas { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, AlertUpdate> Alerts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, DispatchRequestView> Requests { get; } = new(StringComparer.Ordinal);

        /// <summary>Movements kept while sends fail, before the oldest are dropped (they are in history).</summary>
        public const int MostEvents = 10_000;

        /// <summary>Assets' movements, in order: each is sent, none coalesced; at most <see cref="MostEvents"/>.</summary>
        public List<AssetEvent> Events { get; private set; } = [];

        /// <summary>Movements dropped over <see cref="MostEvents"/>, since this was taken.</summary>
        public int DroppedEvents { get; private set; }

        public void Add(OpsUpdateBatch batch)
        {
            Events.AddRange(batch.AssetEvents);
            KeepNewestEvents();

            foreach (var request in batch.Requests)
            {
                Requests[request.Id] = request;
            }

            foreach (var status in batch.Assets)
            {
                Assets[status.Id] = status;
            }

            foreach (var area in batch.HazardAreas)
            {
                Areas[area.Code] = area;
            }

            foreach (var update in batch.Alerts)
            {
                var raised = update.Raised || (Alerts.TryGetValue(update.Alert.Id, out var waiting) && waiting.Raised);
                Alerts[update.Alert.Id] = update with { Raised = raised };
            }
        }

        private void KeepNewestEvents()
        {
            if (Events.Count > MostEvents)
            {
                DroppedEvents += Events.Count - MostEvents;
                Events.RemoveRange(0, Events.Count - MostEvents);
            }
        }

        /// <summary>
        /// Takes back the views and alerts of a batch that could not be sent in full, under what arrived since (newer, so
        /// it wins; an alert raised in the older batch stays raised).
        /// </summary>
        public void Restore(Pending older)
        {
            if (older.Events.Count > 0)
            {
                Events = [.. older.Events, .. Events];
                KeepNewestEvents();
            }

            foreach (var (id, status) in older.Assets)
            {
                Assets.TryAdd(id, status);
            }

            foreach (var (code, area) in older.Areas)
            {
                Areas.TryAdd(code, area);
            }

            foreach (var (id, request) in older.Requests)
            {
                Requests.TryAdd(id, request);
            }

            foreach (var (id, update) in older.Alerts)
            {
                Alerts[id] = Alerts.TryGetValue(id, out var newer) ? newer with { Raised = newer.Raised || update.Raised } : update;
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Count} movements were not sent to this silo's dashboards: more than {Most} waited while sends failed (they are in history)")]
    private partial void LogEventsDropped(int count, int most);

    [LoggerMessage(LogLevel.Warning, "Hub observer could not register with the cluster; retrying")]
    private partial void LogRegisterFailed(Exception ex);

    [LoggerMessage(LogLevel.Warning, "This silo's hub had missed {Count} alert changes (a push lost with a silo, or the hub out of the feeds); sent now")]
    private partial void LogCaughtUp(int count);

    [LoggerMessage(LogLevel.Warning, "The alert ledger could not be asked for missed changes; asking again soon")]
    private partial void LogCatchUpFailed(Exception ex);

    [LoggerMessage(LogLevel.Warning, "Sending a batch to this silo's dashboards took {Ms} ms ({Alerts} alerts, {Assets} assets)")]
    private partial void LogSlowSend(long ms, int alerts, int assets);

    [LoggerMessage(LogLevel.Warning, "A batch of live updates could not be sent to every dashboard (one slow or stuck?); it goes out again with the next one")]
    private partial void LogSendFailed(Exception ex);
}
