using System.Globalization;
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
        var database = await TestPostgres.CreateDatabaseAsync("cmac_fault");
        await using var a = await SiloProcess.StartOnPostgresAsync("A", database);
        await using var b = await SiloProcess.StartOnPostgresAsync("B", database);
        await SiloEndpoints.WaitForActiveSilosAsync(database, 2, TimeSpan.FromSeconds(60));
        ISiloEndpoint[] silos = [a, b];

        var publishers = new List<SequencedPublisher>();
        var assets = new List<string>();
        for (var i = 0; i < Devices; i++)
        {
            var assetId = $"DU{i % 3 + 1}-FLT-{i:00}";
            var deviceId = $"trk-flt-{i:00}";
            var secret = await silos[i % 2].ProvisionAsync(assetId, deviceId, unit: $"DU{i % 3 + 1}");
            assets.Add(assetId);
            publishers.Add(new SequencedPublisher(deviceId, secret, silos, firstSilo: i % 2, lon: 102.9 + (i * 0.01)));
        }

        await using var dashboard = await HubProbe.ConnectAsync(b);
        using var stop = new CancellationTokenSource();
        using var abandon = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var streams = publishers.Select(p => Task.Run(() => p.RunAsync(Interval, stop.Token, abandon.Token))).ToList();
        try
        {
            // Every device streaming through both silos, and grains living on both, before the kill.
            await EventuallyAsync(() => publishers.All(p => p.Acked.Count >= 10), TimeSpan.FromSeconds(60), "every device streaming");
            var killedAt = DateTimeOffset.UtcNow;
            await a.KillAsync();

            await EventuallyAsync(() => publishers.All(p => p.Acked.Any(f => f.AckedAt > killedAt)), TimeSpan.FromSeconds(120), "every device acknowledged again after the kill");
            var recoveredAt = publishers.Max(p => p.Acked.First(f => f.AckedAt > killedAt).AckedAt);
            await Task.Delay(TimeSpan.FromSeconds(2)); // a little streaming on the survivor alone
            await stop.CancelAsync();
            await Task.WhenAll(streams);

            var acked = publishers.Sum(p => p.Acked.Count);
            output.WriteLine($"recovery after SIGKILL: {(recoveredAt - killedAt).TotalSeconds:0.0} s until every one of {Devices} devices was acknowledged again");
            output.WriteLine($"{acked} fixes acknowledged; {publishers.Sum(p => p.Retries)} sends repeated; {publishers.Sum(p => p.Reconnects)} connections");
            output.WriteLine($"longest gap between acknowledgements of one device: {publishers.Max(LongestGap).TotalSeconds:0.0} s");

            for (var i = 0; i < Devices; i++)
            {
                var fixes = publishers[i].Acked;
                await AssertEachAcknowledgedFixStoredOnceAsync(b, assets[i], fixes);

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
        finally
        {
            await abandon.CancelAsync();
            await Task.WhenAll(streams);
            foreach (var publisher in publishers)
            {
                await publisher.DisposeAsync();
            }
        }
    }

    private static async Task AssertEachAcknowledgedFixStoredOnceAsync(ISiloEndpoint silo, string assetId, IReadOnlyList<AckedFix> fixes)
    {
        var from = Uri.EscapeDataString(fixes[0].Ts.AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O", CultureInfo.InvariantCulture));
        var track = await silo.GetJsonAsync<JsonElement>($"/api/assets/{assetId}/track?from={from}&to={to}");
        var stored = track.GetProperty("properties").GetProperty("times").EnumerateArray()
            .Select(t => DateTimeOffset.Parse(t.GetString()!, CultureInfo.InvariantCulture))
            .ToList();
        var duplicates = stored.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{assetId}: stored more than once: {string.Join(", ", duplicates)}");
        var missing = fixes.Where(f => !stored.Contains(f.Ts)).Select(f => f.Seq).ToList();
        Assert.True(missing.Count == 0, $"{assetId}: acknowledged but not in history: seq {string.Join(", ", missing)}");
    }

    private static TimeSpan LongestGap(SequencedPublisher publisher)
    {
        var acked = publisher.Acked;
        return acked.Zip(acked.Skip(1), (x, y) => y.AckedAt - x.AckedAt).DefaultIfEmpty().Max();
    }

    private static async Task EventuallyAsync(Func<bool> done, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not {what} within {within.TotalSeconds} s");
            }

            await Task.Delay(100);
        }
    }
}
