using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Npgsql;
using Xunit.Abstractions;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// Chaos: two silo processes on PostgreSQL under a working fleet, killed (SIGKILL) and started again on the same ports
/// several times, alternately, with SOS raised right after each kill from devices on the survivor and at other moments.
/// Afterwards every acknowledged fix must be stored once, every SOS must have reached every dashboard that stayed up
/// within a second, every alert of the ledger must have reached the dashboards that were up when it changed, the searched
/// ground must equal that of the same uplinks replayed into a silo that never failed, and the daily report must agree
/// with figures derived from what the devices had acknowledged.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int Seed = 20260512;
    private const int Kills = 4;
    private const int DeadStatus = 6;
    private const int ActiveStatus = 3;
    private const double Tolerance = 0.001;

    /// <summary>An SOS must reach every dashboard that stayed up within this of its publish.</summary>
    private static readonly TimeSpan SosDeadline = TimeSpan.FromSeconds(1);

    /// <summary>A change of an alert this long before its dashboard went down must have reached it.</summary>
    private static readonly TimeSpan AlertGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan ReportDayOffset = TimeSpan.FromHours(7);

    [Fact]
    public async Task Chaos_silos_killed_and_restarted_under_a_working_fleet_lose_no_fix_sos_alert_or_searched_ground()
    {
        var wall = Stopwatch.StartNew();
        await using var pair = await SiloPair.StartAsync("cmac_chaos");
        SiloProcess[] silos = [pair.A, pair.B];
        int[] ports = [pair.A.MqttPort, pair.B.MqttPort];
        output.WriteLine($"[{wall.Elapsed.TotalSeconds,5:0.0} s] two silos active on PostgreSQL (A: HTTP {pair.A.BaseAddress.Port}, MQTT {pair.A.MqttPort}; B: HTTP {pair.B.BaseAddress.Port}, MQTT {pair.B.MqttPort})");

        var plan = ChaosScenario.Fleet(Seed);
        var secrets = await ChaosScenario.SetUpAsync(pair.A, plan);
        var dashboards = new List<ChaosDashboard>
        {
            await ChaosDashboard.ConnectAsync(pair.A, "A#1"),
            await ChaosDashboard.ConnectAsync(pair.B, "B#1"),
        };
        var fleetDevices = plan.Select((asset, i) => (asset, new ChaosDevice(asset.DeviceId, asset.AssetId, secrets[asset.DeviceId], ports, homeBroker: i % 2))).ToList();
        var fleet = ChaosFleet.Start(fleetDevices);
        var failures = new List<string>();
        var kills = new List<KillRecord>();
        Replayed? replay = null;
        try
        {
            var random = new Random(Seed);
            await FaultChecks.EventuallyAsync(() => fleet.Devices.All(d => d.Acked.Count >= 6), TimeSpan.FromSeconds(60), "every device streaming");
            output.WriteLine($"[{wall.Elapsed.TotalSeconds,5:0.0} s] {fleet.Devices.Count} devices streaming, half on each broker; dashboards on both silos");
            await Task.Delay(TimeSpan.FromSeconds(2));
            RaiseSos(fleet, random, fleet.Devices.Where(d => d.ConnectedPort != 0), 1, "steady, both silos up");

            for (var k = 0; k < Kills; k++)
            {
                var victim = silos[k % 2];
                var survivor = silos[1 - (k % 2)];
                await Task.Delay(TimeSpan.FromSeconds(3));
                var generation = await ActiveGenerationAsync(pair.Database, victim.SiloPort)
                    ?? throw new InvalidOperationException($"silo {victim.Name} is not active in the membership table before kill {k + 1}");
                var killedAt = DateTimeOffset.UtcNow;
                foreach (var dashboard in dashboards.Where(d => d.Name.StartsWith(victim.Name + "#", StringComparison.Ordinal)))
                {
                    dashboard.SiloKilled(killedAt);
                }

                await victim.KillAsync();
                var declaredDead = WaitForStatusAsync(pair.Database, victim.SiloPort, generation, DeadStatus, TimeSpan.FromSeconds(30));
                RaiseSos(fleet, random, fleet.Devices.Where(d => d.ConnectedPort == survivor.MqttPort), 2, $"kill {k + 1}: right after {victim.Name} was killed, on {survivor.Name}");

                var everyDevice = DateTimeOffset.MaxValue;
                try
                {
                    await FaultChecks.EventuallyAsync(() => fleet.Devices.All(d => d.Acked.Any(a => a.AnsweredAt > killedAt)), TimeSpan.FromSeconds(60),
                        $"every device acknowledged again after kill {k + 1}");
                    everyDevice = fleet.Devices.Max(d => d.Acked.First(a => a.AnsweredAt > killedAt).AnsweredAt);
                }
                catch (TimeoutException ex)
                {
                    failures.Add($"kill {k + 1} ({victim.Name}): {ex.Message}");
                }

                RaiseSos(fleet, random, fleet.Devices.Where(d => d.ConnectedPort == survivor.MqttPort), 1, $"kill {k + 1}: {survivor.Name} alone, after recovery");
                var deadAt = await declaredDead;
                if (deadAt is null)
                {
                    failures.Add($"kill {k + 1}: silo {victim.Name} (port {victim.SiloPort}, generation {generation}) was not declared dead in the membership table within 30 s");
                }

                await Task.Delay(TimeSpan.FromSeconds(2));
                var restartAt = DateTimeOffset.UtcNow;
                await victim.RestartAsync(TimeSpan.FromSeconds(90));
                var healthyAt = DateTimeOffset.UtcNow;
                await SiloEndpoints.WaitForActiveSilosAsync(pair.Database, 2, TimeSpan.FromSeconds(60));
                var activeAt = DateTimeOffset.UtcNow;
                dashboards.Add(await ChaosDashboard.ConnectAsync(victim, $"{victim.Name}#{victim.Starts}"));
                foreach (var device in fleet.Devices.Where(d => d.HomePort == victim.MqttPort))
                {
                    device.GoHome();
                }

                kills.Add(new KillRecord(k + 1, victim.Name, generation, killedAt, deadAt, everyDevice, restartAt, healthyAt, activeAt));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{wall.Elapsed.TotalSeconds,5:0.0} s] kill {k + 1}: {victim.Name} SIGKILLed; declared dead after {Seconds(killedAt, deadAt)}, every device acknowledged again after {Seconds(killedAt, everyDevice)}; started again, healthy {(healthyAt - restartAt).TotalSeconds:0.0} s later, active in the cluster {(activeAt - restartAt).TotalSeconds:0.0} s later"));
                await Task.Delay(TimeSpan.FromSeconds(3));
                RaiseSos(fleet, random, fleet.Devices.Where(d => d.ConnectedPort == victim.MqttPort), 1, $"kill {k + 1}: after {victim.Name} came back, both up");
            }

            await Task.Delay(TimeSpan.FromSeconds(4)); // the last SOS ends
            await fleet.StopAsync(TimeSpan.FromSeconds(30));
            var stoppedAt = DateTimeOffset.UtcNow;
            output.WriteLine($"[{wall.Elapsed.TotalSeconds,5:0.0} s] fleet stopped: {fleet.Devices.Sum(d => d.Acked.Count)} uplinks acknowledged "
                + $"({fleet.Devices.Sum(d => d.Acked.Count(a => a.Message.Kind == "position"))} fixes), {fleet.Devices.Sum(d => d.Retries)} sends repeated, {fleet.Devices.Sum(d => d.Connections)} connections, {fleet.Sos.Count} SOS");

            foreach (var device in fleet.Devices)
            {
                if (device.Refused.Count > 0)
                {
                    failures.Add($"{device.DeviceId}: refused for good: {string.Join("; ", device.Refused.Select(r => $"{r.Message.Kind} {r.Message.Payload} -> {r.ReasonCode}"))}");
                }

                if (device.Pending.Count > 0)
                {
                    failures.Add($"{device.DeviceId}: {device.Pending.Count} uplinks never acknowledged (30 s after the fleet stopped), first {device.Pending[0].Message.Kind} {device.Pending[0].Message.Payload}");
                }
            }

            // The fault-free run: the same uplinks (payloads, times, order per device) into a fresh silo that never fails.
            replay = await ReplayAsync(plan, fleet);
            output.WriteLine($"[{wall.Elapsed.TotalSeconds,5:0.0} s] replayed into a fresh silo that never failed");

            // (a) every acknowledged fix stored exactly once
            await CheckStoredOnceAsync(pair.A, fleet, failures);

            // (b) every SOS on every dashboard that stayed up, within a second
            CheckSos(fleet, dashboards, failures);

            // (c) every alert of the ledger on every dashboard up when it changed
            var ledger = await pair.B.GetJsonAsync<JsonElement>("/api/alerts?open=false");
            CheckLedger(ledger, fleet, dashboards, DateTimeOffset.UtcNow, failures);

            // (d) searched ground as in the fault-free run
            var areas = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var area in ChaosScenario.Areas)
            {
                areas[area.Code] = await pair.A.GetJsonAsync<JsonElement>($"/api/hazard-areas/{Uri.EscapeDataString(area.Code)}");
                var chaos = areas[area.Code].GetProperty("searchedM2").GetDouble();
                var clean = replay.Areas[area.Code];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"(d) {area.Code} ({area.Unit}): searched {chaos:0.0} m² after the chaos, {clean:0.0} m² fault-free ({Percent(chaos, clean)})"));
                if (!Within(chaos, clean, Tolerance))
                {
                    failures.Add(string.Create(CultureInfo.InvariantCulture,
                        $"(d) searched ground of {area.Code}: {chaos:0.0} m² after the kills, {clean:0.0} m² when the same uplinks went to a silo that never failed ({Percent(chaos, clean)}; allowed ±0.1 %)"));
                }
            }

            // (e) the daily report against figures derived independently; area growth is credited when the area writes its
            // footprint (every 10 s), so the report is read once that has surely happened.
            var settle = stoppedAt + TimeSpan.FromSeconds(13) - DateTimeOffset.UtcNow;
            if (settle > TimeSpan.Zero)
            {
                await Task.Delay(settle);
            }

            await CheckDailyAsync(pair.A, fleet, areas, ledger, replay, failures);
            PrintNumbers(fleet, dashboards, kills);
            output.WriteLine($"[{wall.Elapsed.TotalSeconds,5:0.0} s] checked");
        }
        finally
        {
            await fleet.DisposeAsync();
            foreach (var dashboard in dashboards)
            {
                await dashboard.DisposeAsync();
            }

            if (replay is not null)
            {
                await replay.Silo.DisposeAsync();
                try
                {
                    Directory.Delete(replay.Silo.DataFolder, recursive: true);
                }
                catch (IOException)
                {
                    // a file still open: the temporary folder stays
                }
            }
        }

        var falseDeaths = (await MembershipAsync(pair.Database))
            .Where(m => m.Status == DeadStatus && !kills.Any(k => silos.First(s => s.Name == k.Silo).SiloPort == m.Port && k.Generation == m.Generation))
            .ToList();
        if (falseDeaths.Count > 0)
        {
            failures.Add($"silos declared dead that were never killed: {string.Join(", ", falseDeaths.Select(m => $"port {m.Port} generation {m.Generation}"))}");
        }

        output.WriteLine($"wall time {wall.Elapsed.TotalSeconds:0} s; {failures.Count} check(s) failed");
        Assert.True(failures.Count == 0, "Chaos checks failed:\n\n" + string.Join("\n\n", failures)
            + $"\n\n--- silo A ---\n{Tail(pair.A.Output)}\n--- silo B ---\n{Tail(pair.B.Output)}");
    }

    private void RaiseSos(ChaosFleet fleet, Random random, IEnumerable<ChaosDevice> onBroker, int count, string why)
    {
        // Any device, whether or not an uplink of its own is in flight (stuck, say, on a grain of the silo just lost): the
        // SOS goes out beside it at once, as firmware with QoS 1 would send it.
        var pool = onBroker.Where(d => !fleet.InSos(d)).OrderBy(d => d.DeviceId, StringComparer.Ordinal).ToList();
        for (var i = 0; i < count && pool.Count > 0; i++)
        {
            var device = pool[random.Next(pool.Count)];
            pool.Remove(device);
            var sos = fleet.RaiseSos(device, device.InFlight ? $"{why}; beside an uplink in flight" : why);
            output.WriteLine($"        SOS {sos.AlertId} from {device.DeviceId} on MQTT {device.ConnectedPort} ({why})");
        }
    }

    private static async Task CheckStoredOnceAsync(ISiloEndpoint silo, ChaosFleet fleet, List<string> failures)
    {
        foreach (var device in fleet.Devices)
        {
            var fixes = device.Acked.Where(a => a.Message.Kind == "position").Select((a, i) => new AckedFix(i, a.Message.Ts, a.AnsweredAt)).ToList();
            if (await FaultChecks.StoredOnceProblemAsync(silo, device.AssetId, fixes) is { } problem)
            {
                failures.Add($"(a) acknowledged fixes not stored exactly once: {problem}");
            }
        }
    }

    private void CheckSos(ChaosFleet fleet, IReadOnlyList<ChaosDashboard> dashboards, List<string> failures)
    {
        var late = new List<string>();
        foreach (var sos in fleet.Sos)
        {
            if (sos.Device.FirstSentAt(sos.Message) is not { } published)
            {
                failures.Add($"(b) SOS {sos.AlertId} ({sos.Why}) was never sent");
                continue;
            }

            var queued = (published - sos.RaisedAt).TotalMilliseconds;
            var seen = new List<string>();
            foreach (var dashboard in dashboards.Where(d => d.UpThrough(published, published + SosDeadline)))
            {
                var (first, alert, confirmed) = dashboard.Arrival(sos.AlertId);
                if (first is not { } at)
                {
                    late.Add($"{sos.AlertId} ({sos.Why}): never reached dashboard {dashboard.Name}{(confirmed is { } c ? $" as alertRaised (an alertUpdated came {(c - published).TotalMilliseconds:0} ms after the publish)" : "")}");
                    seen.Add($"{dashboard.Name} never");
                    continue;
                }

                var latency = at - published;
                var state = dashboard.SosState(sos.AssetId, published) is { } s ? $"; asset in sos {(s - published).TotalMilliseconds:0} ms" : "";
                seen.Add(string.Create(CultureInfo.InvariantCulture, $"{dashboard.Name} {latency.TotalMilliseconds:0} ms{(confirmed is { } ok && ok != at ? $" (confirmed {(ok - published).TotalMilliseconds:0} ms)" : "")}{state}"));
                var a = alert!.Value;
                var shape = a.GetProperty("kind").GetString() == "sos" && a.GetProperty("severity").GetString() == "critical"
                    && a.GetProperty("assetId").GetString() == sos.AssetId;
                if (!shape)
                {
                    late.Add($"{sos.AlertId}: dashboard {dashboard.Name} got an alertRaised with that id that is not a critical sos of {sos.AssetId}: {a}");
                }

                if (latency > SosDeadline)
                {
                    late.Add(string.Create(CultureInfo.InvariantCulture,
                        $"(b) {sos.AlertId} ({sos.Why}): reached dashboard {dashboard.Name} {latency.TotalMilliseconds:0} ms after its publish"));
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"(b) {sos.AlertId} ({sos.Why}; published {queued:0} ms after it was raised{(sos.Device.Acked.FirstOrDefault(s => ReferenceEquals(s.Message, sos.Message)) is { } acked ? $", PUBACK after {(acked.AnsweredAt - published).TotalMilliseconds:0} ms, {acked.Attempts} attempt(s)" : "")}): {string.Join(", ", seen)}"));
        }

        if (late.Count > 0)
        {
            failures.Add($"(b) {late.Count} SOS signal(s) did not reach a dashboard that stayed up within {SosDeadline.TotalSeconds:0} s of the publish (the first alertRaised with id sos-{{assetId}}-{{ts}}, provisional or not):\n  "
                + string.Join("\n  ", late));
        }
    }

    private void CheckLedger(JsonElement ledger, ChaosFleet fleet, IReadOnlyList<ChaosDashboard> dashboards, DateTimeOffset now, List<string> failures)
    {
        var alerts = ledger.EnumerateArray().ToList();
        var ids = alerts.Select(a => a.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
        var missingSos = fleet.Sos.Where(s => s.Device.Acked.Any(a => ReferenceEquals(a.Message, s.Message)) && !ids.Contains(s.AlertId)).Select(s => s.AlertId).ToList();
        if (missingSos.Count > 0)
        {
            failures.Add($"(c) acknowledged SOS with no alert in the ledger: {string.Join(", ", missingSos)}");
        }

        var missed = new List<string>();
        foreach (var dashboard in dashboards)
        {
            if (dashboard.ClosedUnexpectedly is { } why)
            {
                failures.Add($"dashboard {dashboard.Name} lost its connection at {dashboard.DownAt:HH:mm:ss.fff} while its silo was up: {why}");
            }

            var from = dashboard.ConnectedAt;
            var to = (dashboard.DownAt ?? now) - AlertGrace;
            var expected = 0;
            foreach (var alert in alerts)
            {
                var steps = alert.GetProperty("trail").EnumerateArray().Select(s => s.GetProperty("at").GetDateTimeOffset()).ToList();
                if (!steps.Any(at => at >= from && at <= to))
                {
                    continue;
                }

                expected++;
                var id = alert.GetProperty("id").GetString()!;
                if (!dashboard.Saw(id))
                {
                    missed.Add($"{id} ({alert.GetProperty("kind").GetString()}, steps at {string.Join(", ", steps.Select(s => s.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)))}) never reached dashboard {dashboard.Name} (up {from:HH:mm:ss.fff}–{(dashboard.DownAt is { } d ? d.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) : "end")})");
                }
            }

            output.WriteLine($"(c) dashboard {dashboard.Name}: up {from:HH:mm:ss.fff}–{(dashboard.DownAt is { } down ? down.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) : "end")}, {expected} ledger alerts changed meanwhile, {dashboard.Alerts.Count} alert events, {dashboard.AssetUpdates} asset updates");
        }

        output.WriteLine($"(c) ledger: {alerts.Count} alerts ({string.Join(", ", alerts.GroupBy(a => a.GetProperty("kind").GetString()).Select(g => $"{g.Count()} {g.Key}"))})");
        if (missed.Count > 0)
        {
            failures.Add($"(c) {missed.Count} ledger alert(s) changed while a dashboard was up (and {AlertGrace.TotalSeconds:0} s before it went down) but never reached it:\n  " + string.Join("\n  ", missed));
        }
    }

    private async Task CheckDailyAsync(ISiloEndpoint silo, ChaosFleet fleet, IReadOnlyDictionary<string, JsonElement> areas, JsonElement ledger, Replayed replay, List<string> failures)
    {
        var acked = fleet.Devices.SelectMany(d => d.Acked.Select(a => (Device: d, Sent: a))).ToList();
        var days = acked.Select(a => DateOnly.FromDateTime((a.Sent.Message.Ts + ReportDayOffset).UtcDateTime)).Distinct().Order().ToList();
        foreach (var unit in ChaosScenario.Areas.Select(a => a.Unit).Distinct())
        {
            double searched = 0;
            var finds = new Dictionary<string, int>(StringComparer.Ordinal);
            var hours = new Dictionary<string, double>(StringComparer.Ordinal);
            var replayHours = new Dictionary<string, double>(StringComparer.Ordinal);
            var openAlerts = 0;
            foreach (var day in days)
            {
                var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                var row = (await silo.GetJsonAsync<JsonElement>($"/api/reports/daily?date={date}&unit={unit}")).GetProperty("units")[0];
                var clean = (await replay.Silo.GetJsonAsync<JsonElement>($"/api/reports/daily?date={date}&unit={unit}")).GetProperty("units")[0];
                searched += row.GetProperty("searchedM2").GetDouble();
                foreach (var find in row.GetProperty("finds").EnumerateObject())
                {
                    finds[find.Name] = finds.GetValueOrDefault(find.Name) + find.Value.GetInt32();
                }

                foreach (var kind in row.GetProperty("workingHours").EnumerateObject())
                {
                    hours[kind.Name] = hours.GetValueOrDefault(kind.Name) + kind.Value.GetDouble();
                }

                foreach (var kind in clean.GetProperty("workingHours").EnumerateObject())
                {
                    replayHours[kind.Name] = replayHours.GetValueOrDefault(kind.Name) + kind.Value.GetDouble();
                }

                openAlerts = row.GetProperty("openAlerts").GetInt32();
            }

            // Searched: the sum of the unit's areas as they stand (all of it searched today, in a database of its own).
            var areaSum = ChaosScenario.Areas.Where(a => a.Unit == unit).Sum(a => areas[a.Code].GetProperty("searchedM2").GetDouble());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"(e) {unit} {string.Join("+", days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}: daily searched {searched:0.0} m², its areas {areaSum:0.0} m² ({Percent(searched, areaSum)})"));
            if (!Within(searched, areaSum, Tolerance))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"(e) daily report {unit}: searched {searched:0.0} m², but its hazard areas hold {areaSum:0.0} m² searched ({Percent(searched, areaSum)}; allowed ±0.1 %)"));
            }

            // Finds: every find the unit's devices had acknowledged, by category.
            var sent = acked.Where(a => a.Sent.Message.Kind == "find" && fleet.AssetOf(a.Device).Unit == unit)
                .Select(a => JsonDocument.Parse(a.Sent.Message.Payload).RootElement)
                .Where(p => p.TryGetProperty("category", out _))
                .GroupBy(p => p.GetProperty("category").GetString()!)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var reported = finds.Where(f => f.Value != 0).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
            output.WriteLine($"(e) {unit}: finds in the report {Describe(reported)}, acknowledged by the devices {Describe(sent)}");
            if (!sent.OrderBy(s => s.Key).SequenceEqual(reported.OrderBy(r => r.Key)))
            {
                failures.Add($"(e) daily report {unit}: finds {Describe(reported)}, but the unit's devices had {Describe(sent)} acknowledged");
            }

            // Working time: the same uplinks in a silo that never failed (credited from device times alone), and an estimate
            // from the working periods the devices reported (printed).
            foreach (var kind in new[] { "team", "machine", "dog", "rat" })
            {
                var got = hours.GetValueOrDefault(kind);
                var clean = replayHours.GetValueOrDefault(kind);
                var estimate = WorkingHours(fleet, unit, kind);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"(e) {unit} {kind}: working {got:0.000} h after the chaos, {clean:0.000} h fault-free, {estimate:0.000} h from the devices' working periods"));
                if (Math.Abs(got - clean) > Math.Max(0.0011, clean * Tolerance))
                {
                    failures.Add(string.Create(CultureInfo.InvariantCulture,
                        $"(e) daily report {unit}: {kind} working hours {got:0.000} h, but {clean:0.000} h when the same uplinks went to a silo that never failed (the devices' working periods: {estimate:0.000} h)"));
                }
            }

            var ledgerOpen = ledger.EnumerateArray().Count(a => a.GetProperty("isOpen").GetBoolean() && a.TryGetProperty("unit", out var u) && u.GetString() == unit);
            if (openAlerts != ledgerOpen)
            {
                failures.Add($"(e) daily report {unit}: {openAlerts} open alerts, the ledger has {ledgerOpen}");
            }
        }
    }

    /// <summary>The working time a unit's assets of one kind reported: from each working status to the next other one (or the last uplink).</summary>
    private static double WorkingHours(ChaosFleet fleet, string unit, string kind)
    {
        double seconds = 0;
        foreach (var device in fleet.Devices.Where(d => fleet.AssetOf(d).Unit == unit && fleet.AssetOf(d).Kind == kind))
        {
            DateTimeOffset? since = null;
            var last = DateTimeOffset.MinValue;
            foreach (var sent in device.Acked)
            {
                last = sent.Message.Ts > last ? sent.Message.Ts : last;
                if (sent.Message.Kind != "status")
                {
                    continue;
                }

                var working = sent.Message.Payload.Contains("\"working\"", StringComparison.Ordinal);
                if (working && since is null)
                {
                    since = sent.Message.Ts;
                }
                else if (!working && since is { } from)
                {
                    seconds += (sent.Message.Ts - from).TotalSeconds;
                    since = null;
                }
            }

            if (since is { } open)
            {
                seconds += (last - open).TotalSeconds;
            }
        }

        return seconds / 3600;
    }

    /// <summary>
    /// The fault-free run: a fresh silo (in this process, on SQLite) set up through the same REST calls, then every
    /// device's acknowledged uplinks sent again in their order, each device on its own connection.
    /// </summary>
    private async Task<Replayed> ReplayAsync(IReadOnlyList<ChaosAsset> plan, ChaosFleet fleet)
    {
        var silo = await TestSilo.StartAsync();
        try
        {
            var secrets = await ChaosScenario.SetUpAsync(silo, plan);
            var started = Stopwatch.StartNew();
            await Task.WhenAll(fleet.Devices.Select(async device =>
            {
                await using var probe = await DeviceProbe.ConnectAsync(silo, device.DeviceId, secrets[device.DeviceId]);
                foreach (var sent in device.Acked)
                {
                    var message = new MqttApplicationMessageBuilder()
                        .WithTopic($"cmac/v1/{device.DeviceId}/{sent.Message.Kind}")
                        .WithPayload(Encoding.UTF8.GetBytes(sent.Message.Payload))
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build();
                    var result = await probe.Client.PublishAsync(message);
                    if (result.ReasonCode != MqttClientPublishReasonCode.Success)
                    {
                        throw new InvalidOperationException($"replay: {device.DeviceId} {sent.Message.Kind} {sent.Message.Payload} answered {result.ReasonCode} ({result.ReasonString})");
                    }
                }
            }));
            output.WriteLine($"replay: {fleet.Devices.Sum(d => d.Acked.Count)} uplinks in {started.Elapsed.TotalSeconds:0.0} s");
            var areas = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var area in ChaosScenario.Areas)
            {
                var view = await silo.GetJsonAsync<JsonElement>($"/api/hazard-areas/{Uri.EscapeDataString(area.Code)}");
                areas[area.Code] = view.GetProperty("searchedM2").GetDouble();
            }

            return new Replayed(silo, areas);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    private void PrintNumbers(ChaosFleet fleet, IReadOnlyList<ChaosDashboard> dashboards, IReadOnlyList<KillRecord> kills)
    {
        output.WriteLine("SOS latency, publish to the first alertRaised with its id (provisional or not), per dashboard:");
        foreach (var dashboard in dashboards)
        {
            var first = new List<double>();
            var confirmed = new List<double>();
            foreach (var sos in fleet.Sos)
            {
                if (sos.Device.FirstSentAt(sos.Message) is not { } published || !dashboard.UpThrough(published, published + SosDeadline))
                {
                    continue;
                }

                var (at, _, ok) = dashboard.Arrival(sos.AlertId);
                if (at is { } a)
                {
                    first.Add((a - published).TotalMilliseconds);
                }

                if (ok is { } c)
                {
                    confirmed.Add((c - published).TotalMilliseconds);
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {dashboard.Name,-4}: {first.Count} SOS, first alertRaised p50 {Percentile(first, 0.5):0} ms, max {Max(first):0} ms; ledger-confirmed p50 {Percentile(confirmed, 0.5):0} ms, max {Max(confirmed):0} ms"));
        }

        output.WriteLine("kills:");
        foreach (var k in kills)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {k.Number}: {k.Silo} (generation {k.Generation}) declared dead after {Seconds(k.KilledAt, k.DeadAt)}, every device acknowledged again after {Seconds(k.KilledAt, k.EveryDeviceAt)}, restarted healthy in {(k.HealthyAt - k.RestartAt).TotalSeconds:0.0} s, active in {(k.ActiveAt - k.RestartAt).TotalSeconds:0.0} s"));
        }

        var gaps = fleet.Devices.Select(d => d.Acked.Zip(d.Acked.Skip(1), (x, y) => (y.AnsweredAt - x.AnsweredAt).TotalSeconds).DefaultIfEmpty().Max()).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"longest gap between acknowledgements of one device: {gaps.Max():0.0} s"));
    }

    private static async Task<int?> ActiveGenerationAsync(string database, int port)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT generation FROM orleansmembershiptable WHERE port = @port AND status = @active ORDER BY generation DESC LIMIT 1", connection);
        query.Parameters.AddWithValue("port", port);
        query.Parameters.AddWithValue("active", ActiveStatus);
        return await query.ExecuteScalarAsync() is int generation ? generation : null;
    }

    /// <summary>When the membership table first showed that silo (port and generation) with that status, or null within the time.</summary>
    private static async Task<DateTimeOffset?> WaitForStatusAsync(string database, int port, int generation, int status, TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT status FROM orleansmembershiptable WHERE port = @port AND generation = @generation", connection);
        query.Parameters.AddWithValue("port", port);
        query.Parameters.AddWithValue("generation", generation);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await query.ExecuteScalarAsync() is int seen && seen == status)
            {
                return DateTimeOffset.UtcNow;
            }

            await Task.Delay(50);
        }

        return null;
    }

    private static async Task<List<(int Port, int Generation, int Status)>> MembershipAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT port, generation, status FROM orleansmembershiptable", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<(int, int, int)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return rows;
    }

    private static bool Within(double value, double reference, double tolerance) =>
        Math.Abs(value - reference) <= Math.Max(0.15, Math.Abs(reference) * tolerance); // searchedM2 is rounded to 0.1 m²

    private static string Percent(double value, double reference) =>
        reference == 0 ? (value == 0 ? "equal" : "reference 0") : string.Create(CultureInfo.InvariantCulture, $"{(value - reference) / reference * 100:+0.000;-0.000;0.000} %");

    private static string Seconds(DateTimeOffset from, DateTimeOffset? to) =>
        to is { } t && t != DateTimeOffset.MaxValue ? string.Create(CultureInfo.InvariantCulture, $"{(t - from).TotalSeconds:0.00} s") : "never";

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}"));

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static double Max(List<double> values) => values.Count == 0 ? double.NaN : values.Max();

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(40));

    private sealed record KillRecord(
        int Number, string Silo, int Generation, DateTimeOffset KilledAt, DateTimeOffset? DeadAt, DateTimeOffset EveryDeviceAt,
        DateTimeOffset RestartAt, DateTimeOffset HealthyAt, DateTimeOffset ActiveAt);

    private sealed record Replayed(TestSilo Silo, IReadOnlyDictionary<string, double> Areas);
}
