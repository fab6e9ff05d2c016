using CmacLive.Live;

namespace CmacLive.Grains.Tests;

/// <summary>The hub registry tells every silo's hub of a hub registered anew, so each silo's SOS fast lane reaches it at once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OpsHubRegistryGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_hub_registered_anew_is_handed_to_every_other_hub_and_a_renewal_hands_nothing()
    {
        var registry = fixture.Grains.GetGrain<IOpsHubRegistryGrain>(0);
        await fixture.RenewObserverAsync();
        var started = new ClusterFixture.Recorder();
        var restarted = new ClusterFixture.Recorder();
        var key = $"silo-{Guid.NewGuid():N}";
        try
        {
            var first = fixture.Grains.CreateObjectReference<IOpsObserver>(started);
            var answered = await registry.Register(key, first);
            Assert.Contains(answered, h => h.Silo == "test");
            await fixture.EventuallyAsync(() => Task.FromResult(fixture.Pushes.Hubs.ToList()),
                lists => lists.Any(l => l.Any(h => h.Silo == key)), "the new hub handed to the test's hub");
            Assert.Empty(started.Hubs); // the registering hub has the list in its answer

            // A renewal of the same hub tells nobody; the same silo key with a new hub (a silo started again) tells the rest.
            var told = fixture.Pushes.Hubs.Count;
            await registry.Register(key, first);
            await Task.Delay(200);
            Assert.Equal(told, fixture.Pushes.Hubs.Count);

            var again = fixture.Grains.CreateObjectReference<IOpsObserver>(restarted);
            await registry.Register(key, again);
            var lists = await fixture.EventuallyAsync(() => Task.FromResult(fixture.Pushes.Hubs.ToList()),
                l => l.Count > told, "the hub of the restarted silo handed to the test's hub");
            Assert.Contains(lists[^1], h => h.Silo == key && h.Observer.Equals(again));
        }
        finally
        {
            await registry.Unregister(key);
        }
    }
}
