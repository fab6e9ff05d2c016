namespace CmacLive.Live;

/// <summary>One silo's hub observer, under the silo's address.</summary>
[GenerateSerializer, Immutable, Alias("cmac.OpsHubEntry")]
public sealed record OpsHubEntry(
    [property: Id(0)] string Silo,
    [property: Id(1)] IOpsObserver Observer);
