namespace CmacLive.Downlinks;

/// <summary>Downlinks raised on one silo, in the order they were raised, for every silo's MQTT side.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DownlinkBatch")]
public sealed record DownlinkBatch
{
    [Id(0)] public required IReadOnlyList<DeviceCommand> Commands { get; init; }

    /// <summary>The silo that raised them (its <c>SiloAddress.ToParsableString()</c>).</summary>
    [Id(1)] public required string Origin { get; init; }
}
