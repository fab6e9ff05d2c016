using System.Text.Json;
using CmacLive.Testing;
using Xunit.Abstractions;

namespace CmacLive.EndToEnd.Tests;

/// <summary>Faults of real processes: a silo killed while devices stream acknowledged fixes.</summary>
[Collection(SiloCollection.Name)]
public sealed class FaultTests(ITestOutputHelper output)
{
    private const int Devices = 10;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_silo_killed_mid_stream_loses_no_acknowledged_fix_and_the_survivor_takes_over()
    {
        await using var pair = await SiloPair.StartAsync("cmac_fault");
        var (database, a, b) = (pair.Database, pair.A, pair.B);
        ISiloEndpoint[] silos = [a, b];

        var publishers = new List<SequencedPublisher>();
        var assets = new List<string>();
        for (var i = 0; i < Devices; i++)
        {
            var assetId = $"DU{i % 3 + 1}-FLT-{i:00}";
            var deviceId = $"trk-flt-{i:00}";
            var secret = await silos[i % 2].ProvisionAsync(assetId, deviceId, unit: $"DU{i % 3 + 1}");
            assets.Add(assetId);
            publishers.Add(new SequencedPublisher(deviceId, secret, [a.MqttPort, b.MqttPort], firstBroker: i % 2, lon: 102.9 + (i * 0.01)));
        }

        await using var dashboard = await HubProbe.ConnectAsync(b);
        await using var fleet = PublisherFleet.Start(publishers, Interval, TimeSpan.FromMinutes(4));

        // Every device streaming through both silos, and grains living on both, before the kill.
        await FaultChecks.EventuallyAsync(() => publishers.All(p => p.Acked.Count >= 10), TimeSpan.FromSeconds(60), "every device streaming");
        var killedAt = DateTimeOffset.UtcNow;
        await a.KillAsync();

        await FaultChecks.EventuallyAsync(() => publishers.All(p => p.Acked.Any(f => f.AckedAt > killedAt)), TimeSpan.FromSeconds(120), "every device acknowledged again after the kill");
        var recoveredAt = publishers.Max(p => p.Acked.First(f => f.AckedAt > killedAt).AckedAt);

        // Cluster:ProbeTimeout 1 s × 3 missed probes declares the dead silo in seconds (Orleans' default took 11–15 s),
        // and reconnecting devices are never held back as if guessing (a check that cannot run counts as no failure).
        Assert.True(recoveredAt - killedAt < TimeSpan.FromSeconds(15), $"every device acknowledged again only {(recoveredAt - killedAt).TotalSeconds:0.0} s after the kill");
        // Streaming on the survivor alone, for longer than a hub's registration renewal (10 s): when the registry of
        // hubs lived on the killed silo, the survivor's hub is back in the feeds only at its next renewal (issue 14).
        await Task.Delay(TimeSpan.FromSeconds(12));
        await fleet.StopAsync();

        var acked = publishers.Sum(p => p.Acked.Count);
        output.WriteLine($"recovery after SIGKILL: {(recoveredAt - killedAt).TotalSeconds:0.0} s until every one of {Devices} devices was acknowledged again");
        output.WriteLine($"{acked} fixes acknowledged; {publishers.Sum(p => p.Retries)} sends repeated; {publishers.Sum(p => p.Reconnects)} connections");
        output.WriteLine($"longest gap between acknowledgements of one device: {publishers.Max(FaultChecks.LongestGap).TotalSeconds:0.0} s");

        for (var i = 0; i < Devices; i++)
        {
            var fixes = publishers[i].Acked;
            await FaultChecks.AssertStoredOnceAsync(b, assets[i], fixes);

            // The grain answers from the survivor with the newest acknowledged fix.
            var status = await b.GetJsonAsync<JsonElement>($"/api/assets/{assets[i]}");
            Assert.Equal(SequencedPublisher.Lat(fixes[^1].Seq), status.GetProperty("position").GetProperty("lat").GetDouble(), 9);
        }

        // The dashboard on the survivor kept receiving: each asset's updates after the kill reached it.
        var events = await dashboard.CollectAsync(TimeSpan.FromSeconds(2));
        for (var i = 0; i < Devices; i++)
        {
            var afterKill = publishers[i].Acked.Where(f => f.AckedAt > killedAt).Select(f => SequencedPublisher.Lat(f.Seq)).ToHashSet();
            var assetId = assets[i];
            Assert.Contains(events, e => e.Event == "assetUpdated" && e.Payload.GetProperty("id").GetString() == assetId
                && HubProbe.Lat(e.Payload) is { } lat && afterKill.Contains(lat));
        }
    }

    [Fact]
    public async Task While_PostgreSQL_is_unreachable_nothing_is_acknowledged_and_the_silo_recovers_by_itself()
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync("cmac_outage"));
        await using var gate = new TcpGate(database.Host!, database.Port);
        database.Host = "127.0.0.1";
        database.Port = gate.Port;
        database.Timeout = 3;
        await using var silo = await SiloProcess.StartAsync("outage",
        [
            "--Storage:Provider=Postgres",
            $"--Storage:ConnectionString={database.ConnectionString}",
        ]);
        var publishers = new List<SequencedPublisher>();
        var assets = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var secret = await silo.ProvisionAsync($"DU2-OUT-{i:00}", $"trk-out-{i:00}", unit: "DU2");
            assets.Add($"DU2-OUT-{i:00}");
            publishers.Add(new SequencedPublisher($"trk-out-{i:00}", secret, [silo.MqttPort], 0, lon: 103.1 + (i * 0.01)));
        }

        await using var fleet = PublisherFleet.Start(publishers, Interval, TimeSpan.FromMinutes(3));
        await FaultChecks.EventuallyAsync(() => publishers.All(p => p.Acked.Count >= 5), TimeSpan.FromSeconds(30), "every device streaming");
        await silo.WaitForHealthAsync("Healthy", TimeSpan.FromSeconds(10));

        gate.Shut();
        await silo.WaitForHealthAsync("Degraded", TimeSpan.FromSeconds(15));
        var degradedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(12)); // longer than a device waits for an acknowledgement: they send again into the outage
        var reopenedAt = DateTimeOffset.UtcNow;
        gate.Open();

        await silo.WaitForHealthAsync("Healthy", TimeSpan.FromSeconds(30));
        var healthyAt = DateTimeOffset.UtcNow;
        await FaultChecks.EventuallyAsync(() => publishers.All(p => p.Acked.Any(f => f.AckedAt > healthyAt)), TimeSpan.FromSeconds(30), "every device acknowledged again");
        var streamingAt = DateTimeOffset.UtcNow;
        await fleet.StopAsync();

        output.WriteLine($"healthy {(healthyAt - reopenedAt).TotalSeconds:0.0} s after PostgreSQL came back; every device acknowledged again {(streamingAt - reopenedAt).TotalSeconds:0.0} s after");
        output.WriteLine($"{publishers.Sum(p => p.Acked.Count)} fixes acknowledged; {publishers.Sum(p => p.Retries)} sends repeated");
        foreach (var publisher in publishers)
        {
            Assert.DoesNotContain(publisher.Acked, f => f.AckedAt > degradedAt && f.AckedAt < reopenedAt);
        }

        for (var i = 0; i < assets.Count; i++)
        {
            await FaultChecks.AssertStoredOnceAsync(silo, assets[i], publishers[i].Acked);
        }
    }
}
