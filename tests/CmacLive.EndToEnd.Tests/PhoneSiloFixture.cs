namespace CmacLive.EndToEnd.Tests;

/// <summary>A silo with the phones' port (OsmAnd, OwnTracks over HTTP) on a free loopback port, shared by <see cref="OsmandTests"/>.</summary>
public sealed class PhoneSiloFixture : IAsyncLifetime
{
    /// <summary>Small limits, so the tests can pass them.</summary>
    public const int MaxBodyBytes = 4096;
    public const int MaxQueryLength = 1024;

    public TestSilo Silo { get; private set; } = null!;

    public int PhonePort { get; private set; }

    /// <summary>A client of the phones' port that sends no credentials of its own.</summary>
    public HttpClient Phone { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        PhonePort = SiloEndpoints.FreePort();
        Silo = await TestSilo.StartAsync(null, PhoneArguments(PhonePort));
        Phone = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{PhonePort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static string[] PhoneArguments(int port) =>
    [
        $"--Osmand:Port={port}",
        "--Osmand:Address=127.0.0.1",
        $"--Osmand:MaxBodyBytes={MaxBodyBytes}",
        $"--Osmand:MaxQueryLength={MaxQueryLength}",
    ];

    public async Task DisposeAsync()
    {
        Phone.Dispose();
        await Silo.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PhoneSiloCollection : ICollectionFixture<PhoneSiloFixture>
{
    public const string Name = "phones";
}
