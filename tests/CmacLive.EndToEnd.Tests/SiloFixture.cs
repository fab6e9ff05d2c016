namespace CmacLive.EndToEnd.Tests;

/// <summary>One running silo shared by the tests of the collection; each test uses its own ids.</summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public TestSilo Silo { get; private set; } = null!;

    // The Orleans Dashboard is on, so its routes are in the route table's checks.
    public async Task InitializeAsync() => Silo = await TestSilo.StartAsync(configure: null, dataFolder: null, "--Monitoring:OrleansDashboard=true");

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "silo";
}
