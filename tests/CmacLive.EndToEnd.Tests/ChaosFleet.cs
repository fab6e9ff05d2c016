using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CmacLive.EndToEnd.Tests;

/// <summary>A hazard area of the chaos scenario: a rectangle of ground (metres from the scenario's origin) and its unit.</summary>
public sealed record ChaosArea(string Code, string Unit, double X, double Y, double Width, double Height);

/// <summary>
/// One asset of the chaos fleet and how it moves. An assigned asset works a serpentine of short legs inside its own
/// block of its area (legs along x, each the next lane over by its working width), so its searched ground turns often
/// and a lost piece of footprint cannot be made up by a straight line drawn later. An unassigned asset travels along
/// a road outside every area. Rests, detections and finds come at seeded times.
/// </summary>
public sealed record ChaosAsset(
    string AssetId,
    string DeviceId,
    string Kind,
    string Unit,
    ChaosArea? Area,
    double BlockX,
    double BlockY,
    double LegM,
    double LaneM,
    double SpeedMps,
    double StartM,
    double RestAt,
    IReadOnlyList<(double At, string? Category)> Detections)
{
    public string BaseState => Area is null ? "travelling" : "working";

    /// <summary>Where the asset is (metres from the scenario's origin) after moving <paramref name="s"/> metres along its path.</summary>
    public (double X, double Y) At(double s)
    {
        if (Area is null)
        {
            // A road 60 m south of the areas, driven back and forth over 300 m.
            var r = s % 600;
            return (BlockX + (r < 300 ? r : 600 - r), BlockY);
        }

        var cycle = LegM + LaneM;
        var leg = (long)Math.Floor(s / cycle);
        var along = s - (leg * cycle);
        var lanes = (long)Math.Floor(30 / LaneM);
        var lane = leg % lanes;
        var x = along < LegM ? (lane % 2 == 0 ? along : LegM - along) : (lane % 2 == 0 ? LegM : 0);
        var y = (lane * LaneM) + (along < LegM ? 0 : along - LegM);
        return (Area.X + BlockX + x, Area.Y + BlockY + y);
    }
}

/// <summary>
/// The deterministic fleet of the chaos test: two units, each with a hazard area and five assets assigned to it
/// (two teams, a machine, a dog, a rat) plus an EOD team travelling outside it, laid out from a seed. In one area a dog
/// and a rat work lanes 20 m apart, under the 25 m separation, so proximity alerts come and go as they move.
/// </summary>
public static class ChaosScenario
{
    /// <summary>The scenario's origin in metres of UTM zone 48N (near Pailin).</summary>
    public static readonly Ground Ground = new(262_000, 1_441_000);

    public static IReadOnlyList<ChaosArea> Areas { get; } =
    [
        new("PL/CHA/CHAOS/0003", "DU3", 0, 0, 200, 120),
        new("PL/CHA/CHAOS/0004", "DU4", 1_000, 0, 200, 120),
    ];

    public static IReadOnlyList<ChaosAsset> Fleet(int seed)
    {
        var random = new Random(seed);
        var assets = new List<ChaosAsset>();
        var device = 0;
        foreach (var area in Areas)
        {
            var proximityPair = area.Unit == "DU4";
            (string Kind, string Code, double X, double Y, double Lane, double Speed)[] blocks =
            [
                ("team", "T1", 20, 20, 1, 1.0),
                ("team", "T2", 80, 20, 1, 1.1),
                ("machine", "M1", 20, 80, 2, 0.8),
                ("dog", "D1", 140, 20, 1, 1.5),
                ("rat", "R1", proximityPair ? 140 : 80, proximityPair ? 40 : 80, 1, proximityPair ? 1.2 : 0.7),
            ];
            foreach (var (kind, code, x, y, lane, speed) in blocks)
            {
                device++;
                var detections = new List<(double, string?)>();
                foreach (var at in new[] { 12 + (random.NextDouble() * 40), 60 + (random.NextDouble() * 50) })
                {
                    string?[] categories = ["ap-mine", "av-mine", "uxo", "submunition", null];
                    detections.Add((Math.Round(at, 1), categories[random.Next(categories.Length)]));
                }

                assets.Add(new ChaosAsset(
                    $"{area.Unit}-CH-{code}", $"trk-ch-{device:00}", kind, area.Unit, area, x, y,
                    LegM: 12 + random.Next(0, 8), LaneM: lane, SpeedMps: speed, StartM: Math.Round(random.NextDouble() * 20, 1),
                    RestAt: Math.Round(25 + (random.NextDouble() * 70), 1), detections));
            }

            device++;
            assets.Add(new ChaosAsset(
                $"{area.Unit}-CH-EOD", $"trk-ch-{device:00}", "team", area.Unit, null, area.X, area.Y - 60,
                LegM: 0, LaneM: 1, SpeedMps: 3, StartM: Math.Round(random.NextDouble() * 100, 1), RestAt: double.MaxValue, []));
        }

        return assets;
    }

    /// <summary>Defines the areas, the assets and their trackers, and the tasks, through the REST API; answers each device's secret.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> SetUpAsync(ISiloEndpoint silo, IReadOnlyList<ChaosAsset> fleet)
    {
        foreach (var area in Areas)
        {
            (double, double)[] corners =
            [
                (area.X, area.Y), (area.X + area.Width, area.Y), (area.X + area.Width, area.Y + area.Height), (area.X, area.Y + area.Height), (area.X, area.Y),
            ];
            var ring = corners.Select(c => Ground.At(c.Item1, c.Item2)).Select(p => new[] { p.Lon, p.Lat }).ToArray();
            var put = await silo.PutJsonAsync($"/api/hazard-areas/{Uri.EscapeDataString(area.Code)}", new
            {
                type = "Feature",
                properties = new { code = area.Code, type = "CHA", province = "Pailin", unit = area.Unit, priority = "high" },
                geometry = new { type = "Polygon", coordinates = new[] { ring } },
            });
            await EnsureAsync(put, $"PUT hazard area {area.Code}");
        }

        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var asset in fleet)
        {
            var put = await silo.PutJsonAsync($"/api/assets/{asset.AssetId}", new
            {
                kind = asset.Kind,
                name = $"{asset.Kind} {asset.AssetId}",
                unit = asset.Unit,
                capabilities = asset.Kind == "team" ? new[] { "eod", "manual" } : asset.Kind == "machine" ? ["mechanical"] : Array.Empty<string>(),
            });
            await EnsureAsync(put, $"PUT asset {asset.AssetId}");
            var secret = $"secret-{asset.DeviceId}-chaos";
            await EnsureAsync(await silo.PutJsonAsync($"/api/devices/{asset.DeviceId}", new { assetId = asset.AssetId, kind = "tracker", secret }), $"PUT device {asset.DeviceId}");
            secrets[asset.DeviceId] = secret;
            if (asset.Area is { } area)
            {
                await EnsureAsync(await silo.PutJsonAsync($"/api/hazard-areas/{Uri.EscapeDataString(area.Code)}/assets/{asset.AssetId}", new { }), $"assign {asset.AssetId}");
            }
        }

        return secrets;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

/// <summary>
/// Drives the chaos fleet: every tick each device queues a fix of where its asset is now, and the status changes,
/// detections and finds that are due; an SOS can be raised on any device at any moment. Devices send what they queued
/// one uplink at a time (<see cref="ChaosDevice"/>).
/// </summary>
public sealed class ChaosFleet : IAsyncDisposable
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SosLasts = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RestLasts = TimeSpan.FromSeconds(4);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Walker> _walkers;
    private readonly CancellationTokenSource _stopTicks = new();
    private readonly CancellationTokenSource _stopSending = new();
    private readonly CancellationTokenSource _abandon = new();
    private readonly List<Task> _senders;
    private readonly Task _ticks;
    private readonly List<SosRaised> _sos = [];

    private ChaosFleet(IReadOnlyList<(ChaosAsset Asset, ChaosDevice Device)> fleet)
    {
        Started = DateTimeOffset.UtcNow;
        _walkers = fleet.ToDictionary(f => f.Device.DeviceId, f => new Walker(f.Asset, f.Device), StringComparer.Ordinal);
        Devices = [.. fleet.Select(f => f.Device)];
        Assets = [.. fleet.Select(f => f.Asset)];
        _senders = [.. Devices.Select(d => Task.Run(() => d.RunAsync(_stopSending.Token, _abandon.Token)))];
        _ticks = Task.Run(TickAsync);
    }

    public DateTimeOffset Started { get; }

    public IReadOnlyList<ChaosDevice> Devices { get; }

    public IReadOnlyList<ChaosAsset> Assets { get; }

    /// <summary>Every SOS raised, in order.</summary>
    public IReadOnlyList<SosRaised> Sos
    {
        get
        {
            lock (_lock)
            {
                return [.. _sos];
            }
        }
    }

    public static ChaosFleet Start(IReadOnlyList<(ChaosAsset Asset, ChaosDevice Device)> fleet) => new(fleet);

    public ChaosAsset AssetOf(ChaosDevice device) => _walkers[device.DeviceId].Asset;

    /// <summary>Whether the device's asset is in SOS now.</summary>
    public bool InSos(ChaosDevice device)
    {
        lock (_lock)
        {
            return _walkers[device.DeviceId].SosUntil is not null;
        }
    }

    /// <summary>The device raises an SOS now, ahead of whatever it has queued; it ends a few seconds later.</summary>
    public SosRaised RaiseSos(ChaosDevice device, string why)
    {
        lock (_lock)
        {
            var walker = _walkers[device.DeviceId];
            var now = DateTimeOffset.UtcNow;
            var ts = walker.NextTs(now);
            var message = new FieldMessage("status", Status(ts, "sos"), ts);
            walker.SosUntil = now + SosLasts;
            walker.State = "sos";
            var raised = new SosRaised(device, walker.Asset.AssetId, ts, now, message, why);
            _sos.Add(raised);
            device.EnqueueUrgent(message);
            return raised;
        }
    }

    /// <summary>Stops queueing and lets every device send what it has queued (each until acknowledged), within <paramref name="within"/>.</summary>
    public async Task StopAsync(TimeSpan within)
    {
        await _stopTicks.CancelAsync();
        await _ticks;
        await _stopSending.CancelAsync();
        _abandon.CancelAfter(within);
        await Task.WhenAll(_senders);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopTicks.CancelAsync();
        await _abandon.CancelAsync();
        await _ticks;
        await Task.WhenAll(_senders);
        foreach (var device in Devices)
        {
            await device.DisposeAsync();
        }

        _stopTicks.Dispose();
        _stopSending.Dispose();
        _abandon.Dispose();
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(Tick);
        lock (_lock)
        {
            foreach (var walker in _walkers.Values)
            {
                walker.Begin(DateTimeOffset.UtcNow);
            }
        }

        try
        {
            while (await timer.WaitForNextTickAsync(_stopTicks.Token))
            {
                lock (_lock)
                {
                    var now = DateTimeOffset.UtcNow;
                    foreach (var walker in _walkers.Values)
                    {
                        walker.Step(now, (now - Started).TotalSeconds);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    internal static string Status(DateTimeOffset ts, string state) => $$"""{"ts":"{{Ground.Ts(ts)}}","state":"{{state}}"}""";

    /// <summary>One asset's movement and what its device queues; touched only under the fleet's lock.</summary>
    private sealed class Walker(ChaosAsset asset, ChaosDevice device)
    {
        private readonly Queue<(double At, string? Category)> _detections = new(asset.Detections.OrderBy(d => d.At));
        private readonly Queue<(DateTimeOffset Due, DateTimeOffset DetectionTs, string? Category)> _finds = new();
        private DateTimeOffset _lastTs;
        private DateTimeOffset _movedAt;
        private double _s = asset.StartM;
        private bool _rested;
        private int _battery = 100;

        public ChaosAsset Asset => asset;

        public string State { get; set; } = asset.BaseState;

        public DateTimeOffset? SosUntil { get; set; }

        public DateTimeOffset? RestUntil { get; set; }

        /// <summary>Device times strictly increase across every uplink of the device, to the millisecond.</summary>
        public DateTimeOffset NextTs(DateTimeOffset now)
        {
            var ts = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
            _lastTs = ts > _lastTs ? ts : _lastTs.AddMilliseconds(1);
            return _lastTs;
        }

        public void Begin(DateTimeOffset now)
        {
            _movedAt = now;
            var ts = NextTs(now);
            device.Enqueue(new FieldMessage("status", Status(ts, State), ts));
            Fix(now);
        }

        public void Step(DateTimeOffset now, double elapsed)
        {
            if (SosUntil is { } sos && now >= sos)
            {
                SosUntil = null;
                RestUntil = null;
                ChangeState(now, asset.BaseState);
            }
            else if (RestUntil is { } rest && now >= rest)
            {
                RestUntil = null;
                ChangeState(now, asset.BaseState);
            }
            else if (!_rested && elapsed >= asset.RestAt && State == asset.BaseState)
            {
                _rested = true;
                RestUntil = now + RestLasts;
                ChangeState(now, "resting");
            }

            var seconds = (now - _movedAt).TotalSeconds;
            _movedAt = now;
            if (State == asset.BaseState)
            {
                _s += asset.SpeedMps * seconds;
            }

            Fix(now);
            if (_detections.TryPeek(out var detection) && elapsed >= detection.At && State == "working")
            {
                _detections.Dequeue();
                var ts = NextTs(now);
                var (lat, lon) = ChaosScenario.Ground.At(asset.At(_s).X, asset.At(_s).Y);
                device.Enqueue(new FieldMessage("detection", string.Create(CultureInfo.InvariantCulture,
                    $$"""{"ts":"{{Ground.Ts(ts)}}","lat":{{lat:0.0000000}},"lon":{{lon:0.0000000}},"sensor":"{{(asset.Kind is "dog" or "rat" ? asset.Kind : "metal")}}","depthCm":{{5 + (_detections.Count * 7)}}}"""), ts));
                _finds.Enqueue((now.AddSeconds(1.5), ts, detection.Category));
            }

            if (_finds.TryPeek(out var find) && now >= find.Due)
            {
                _finds.Dequeue();
                var ts = NextTs(now);
                var payload = find.Category is { } category
                    ? $$"""{"ts":"{{Ground.Ts(ts)}}","detectionTs":"{{Ground.Ts(find.DetectionTs)}}","category":"{{category}}","depthCm":12,"disposal":"destroyed-in-situ"}"""
                    : $$"""{"ts":"{{Ground.Ts(ts)}}","detectionTs":"{{Ground.Ts(find.DetectionTs)}}","clutter":true}""";
                device.Enqueue(new FieldMessage("find", payload, ts));
            }
        }

        private void ChangeState(DateTimeOffset now, string state)
        {
            State = state;
            var ts = NextTs(now);
            device.Enqueue(new FieldMessage("status", Status(ts, state), ts));
        }

        private void Fix(DateTimeOffset now)
        {
            var ts = NextTs(now);
            var (x, y) = asset.At(_s);
            var (lat, lon) = ChaosScenario.Ground.At(x, y);
            if (ts.Second == 0 && _battery > 20)
            {
                _battery--;
            }

            device.Enqueue(new FieldMessage("position", string.Create(CultureInfo.InvariantCulture,
                $$"""{"ts":"{{Ground.Ts(ts)}}","lat":{{lat:0.00000000}},"lon":{{lon:0.00000000}},"acc":3,"bat":{{_battery}}}"""), ts));
        }
    }
}

/// <summary>An SOS the test raised: the device, its asset, the status's device time and the alert id it must raise.</summary>
public sealed record SosRaised(ChaosDevice Device, string AssetId, DateTimeOffset Ts, DateTimeOffset RaisedAt, FieldMessage Message, string Why)
{
    public string AlertId => $"sos-{AssetId}-{Ts.ToUnixTimeMilliseconds()}";
}

/// <summary>
/// A dashboard of the chaos test: a SignalR client on one silo (one run of its process) recording every alert event
/// with when it arrived. It is down from the moment its silo is killed.
/// </summary>
public sealed class ChaosDashboard : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly List<(DateTimeOffset At, string Event, JsonElement Alert)> _alerts = [];
    private readonly List<(DateTimeOffset At, string AssetId)> _sosStates = [];
    private readonly Lock _lock = new();
    private int _assetUpdates;

    private ChaosDashboard(HubConnection connection, string name)
    {
        _connection = connection;
        Name = name;
    }

    public string Name { get; }

    public DateTimeOffset ConnectedAt { get; private set; }

    /// <summary>When its silo was killed (set by the test), or when the connection closed by itself.</summary>
    public DateTimeOffset? DownAt { get; private set; }

    /// <summary>Set when the connection closed while its silo was up: a dashboard lost for no reason.</summary>
    public string? ClosedUnexpectedly { get; private set; }

    public int AssetUpdates => Volatile.Read(ref _assetUpdates);

    public IReadOnlyList<(DateTimeOffset At, string Event, JsonElement Alert)> Alerts
    {
        get
        {
            lock (_lock)
            {
                return [.. _alerts];
            }
        }
    }

    public static async Task<ChaosDashboard> ConnectAsync(ISiloEndpoint silo, string name)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(silo.BaseAddress, "/hubs/ops"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(TestSilo.Token);
            })
            .Build();
        var dashboard = new ChaosDashboard(connection, name);
        foreach (var evt in new[] { "alertRaised", "alertUpdated" })
        {
            connection.On<JsonElement>(evt, alert =>
            {
                var at = DateTimeOffset.UtcNow;
                lock (dashboard._lock)
                {
                    dashboard._alerts.Add((at, evt, alert));
                }
            });
        }

        connection.On<JsonElement>("assetUpdated", status =>
        {
            Interlocked.Increment(ref dashboard._assetUpdates);
            if (status.GetProperty("state").GetString() == "sos")
            {
                var at = DateTimeOffset.UtcNow;
                lock (dashboard._lock)
                {
                    dashboard._sosStates.Add((at, status.GetProperty("id").GetString()!));
                }
            }
        });
        connection.Closed += error =>
        {
            if (dashboard.DownAt is null)
            {
                dashboard.DownAt = DateTimeOffset.UtcNow;
                dashboard.ClosedUnexpectedly = error?.Message ?? "closed";
            }

            return Task.CompletedTask;
        };
        await connection.StartAsync();
        dashboard.ConnectedAt = DateTimeOffset.UtcNow;
        return dashboard;
    }

    /// <summary>Its silo was killed: from now on it counts as down.</summary>
    public void SiloKilled(DateTimeOffset at) => DownAt ??= at;

    /// <summary>Whether it was up from <paramref name="from"/> through <paramref name="to"/>.</summary>
    public bool UpThrough(DateTimeOffset from, DateTimeOffset to) => ConnectedAt <= from && (DownAt is not { } down || down >= to);

    /// <summary>The first alertRaised with this id, and the first alert event for it that is not provisional.</summary>
    public (DateTimeOffset? First, JsonElement? FirstAlert, DateTimeOffset? Confirmed) Arrival(string alertId)
    {
        (DateTimeOffset? At, JsonElement? Alert) first = (null, null);
        DateTimeOffset? confirmed = null;
        foreach (var (at, evt, alert) in Alerts)
        {
            if (alert.GetProperty("id").GetString() != alertId)
            {
                continue;
            }

            if (evt == "alertRaised" && first.At is null)
            {
                first = (at, alert);
            }

            var provisional = alert.TryGetProperty("provisional", out var p) && p.ValueKind == JsonValueKind.True;
            if (!provisional && confirmed is null)
            {
                confirmed = at;
            }
        }

        return (first.At, first.Alert, confirmed);
    }

    /// <summary>The first assetUpdated of the asset in state sos at or after <paramref name="since"/> (the dashboard's other SOS signal).</summary>
    public DateTimeOffset? SosState(string assetId, DateTimeOffset since)
    {
        lock (_lock)
        {
            return _sosStates.Where(s => s.AssetId == assetId && s.At >= since).Select(s => (DateTimeOffset?)s.At).FirstOrDefault();
        }
    }

    public bool Saw(string alertId) => Alerts.Any(a => a.Alert.GetProperty("id").GetString() == alertId);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
