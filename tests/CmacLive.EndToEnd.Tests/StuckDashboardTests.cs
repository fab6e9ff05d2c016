using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CmacLive.Api.Hubs;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A dashboard that stops reading (a frozen browser tab, a link gone quiet) must not cost the other dashboards any update:
/// what a send held up past its time limit is sent again, under anything newer, and the stuck dashboard is cut off.
/// </summary>
public sealed class StuckDashboardTests
{
    private const int Devices = 30;
    private const int FixesEach = 20;

    [Fact]
    public async Task A_dashboard_that_stops_reading_leaves_every_other_dashboard_with_every_assets_newest_position()
    {
        await using var silo = await TestSilo.StartAsync();

        // The stuck one: a long-polling connection that finishes its handshake and never polls again. The silo keeps its
        // messages in the connection's buffer, and once that is full every send to it waits.
        var negotiate = await silo.Http.PostAsync("/hubs/ops/negotiate?negotiateVersion=1", null);
        negotiate.EnsureSuccessStatusCode();
        var token = (await negotiate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString()!;
        var stuck = $"/hubs/ops?id={Uri.EscapeDataString(token)}";
        (await silo.Http.PostAsync(stuck, new StringContent("{\"protocol\":\"json\",\"version\":1}\u001e", Encoding.UTF8, "text/plain"))).EnsureSuccessStatusCode();
        (await silo.Http.GetAsync(stuck)).EnsureSuccessStatusCode(); // the handshake's answer; no poll after it
        var stuckSince = Stopwatch.StartNew();

        await using var watcher = await HubProbe.ConnectAsync(silo);
        var newest = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        watcher.Connection.On<JsonElement>("assetUpdated", status =>
        {
            if (HubProbe.Lat(status) is { } lat)
            {
                newest[status.GetProperty("id").GetString()!] = lat;
            }
        });

        var fleet = new List<TrackedAsset>();
        try
        {
            for (var i = 0; i < Devices; i++)
            {
                fleet.Add(await TrackedAsset.StartAsync(silo, "team", "DU5"));
            }

            // Far more than the stuck connection's buffer holds (each update is a few hundred bytes), every fix acknowledged.
            var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).AddMinutes(-1);
            await Task.WhenAll(fleet.Select(async (asset, index) =>
            {
                for (var n = 1; n <= FixesEach; n++)
                {
                    var result = await asset.Tracker.PublishFixAsync(Lat(index, n), 104.9, start.AddSeconds(n));
                    Assert.True(result.IsSuccess, $"fix {n} of {asset.AssetId}: {result.ReasonCode}");
                }
            }));

            // The other dashboard ends with every asset's last position.
            await FaultChecks.EventuallyAsync(
                () => fleet.Select((a, i) => (a, i)).All(x => newest.TryGetValue(x.a.AssetId, out var lat) && lat == Lat(x.i, FixesEach)),
                TimeSpan.FromSeconds(30),
                "every asset's newest position on the dashboard that kept reading");

            // The stuck connection is cut off by the silo once a send to it has timed out, not left to SignalR, which drops
            // a long-polling connection that stopped polling only after 15 s. The fleet goes on reporting until then, so
            // its buffer is full whatever the machine's speed.
            var lifetime = silo.Services.GetRequiredService<OpsHubLifetimeManager>();
            for (var round = 1; lifetime.CutOffCount == 0 && stuckSince.Elapsed < TimeSpan.FromSeconds(13); round++)
            {
                await Task.WhenAll(fleet.Select((asset, index) => asset.Tracker.PublishFixAsync(Lat(index, FixesEach + round), 104.9, start.AddSeconds(FixesEach + round))));
                await Task.Delay(250);
            }

            Assert.True(lifetime.CutOffCount >= 1, $"not cut off after {stuckSince.Elapsed.TotalSeconds:0.0} s: too long to tell the silo's cut-off from SignalR's own");

            // Polling it now yields what its buffer held, then the end of the connection.
            var answers = new List<HttpStatusCode>();
            for (var poll = 0; poll < 5 && answers.LastOrDefault() is 0 or HttpStatusCode.OK; poll++)
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                answers.Add((await silo.Http.GetAsync(stuck, wait.Token)).StatusCode);
            }

            Assert.Contains(answers[^1], new[] { HttpStatusCode.NoContent, HttpStatusCode.NotFound });
        }
        finally
        {
            foreach (var asset in fleet)
            {
                await asset.DisposeAsync();
            }
        }
    }

    private static double Lat(int device, int fix) => 12.5 + (device * 0.01) + (fix * 0.0001);
}
