using CmacLive.Alerts;

namespace CmacLive.Live;

/// <summary>An alert as it now stands; <see cref="Raised"/> when this batch is the first to carry it.</summary>
[GenerateSerializer, Immutable, Alias("cmac.AlertUpdate")]
public sealed record AlertUpdate
{
    [Id(0)] public required Alert Alert { get; init; }
    [Id(1)] public required bool Raised { get; init; }
}
