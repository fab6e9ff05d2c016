using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CmacLive.EndToEnd.Tests;

/// <summary>The hub's one method a dashboard calls, sent what no dashboard would: refused with a reason, the connection kept.</summary>
[Collection(SiloCollection.Name)]
public sealed class HostileHubTests(SiloFixture fixture)
{
    public static TheoryData<string, string[]> RefusedFocus() => new()
    {
        { "more units than a list may hold", Enumerable.Range(0, 65).Select(i => $"DU{i}").ToArray() },
        { "a path", ["DU5", "../admin"] },
        { "a wildcard", ["DU+"] },
        { "a control character", ["DU5\u0000"] },
        { "a very long code", [new string('D', 5000)] },
    };

    [Theory]
    [MemberData(nameof(RefusedFocus))]
    public async Task Focus_on_units_no_dashboard_could_mean_is_refused_and_the_connection_goes_on(string what, string[] units)
    {
        await using var hub = await HubProbe.ConnectAsync(fixture.Silo);
        var refused = await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync("Focus", units));
        Assert.False(string.IsNullOrEmpty(refused.Message), what);
        Assert.Equal(HubConnectionState.Connected, hub.Connection.State);
        await hub.Connection.InvokeAsync("Focus", new[] { "DU5", "du6" }); // a real focus still works
        await hub.Connection.InvokeAsync("Focus", Array.Empty<string>());
    }
}
