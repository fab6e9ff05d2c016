namespace CmacLive.Downlinks;

/// <summary>One silo's downlink observer, under the silo's address.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DownlinkEntry")]
public sealed record DownlinkEntry(
    [property: Id(0)] string Silo,
    [property: Id(1)] IDownlinkObserver Observer);
