namespace CmacLive.Assets;

/// <summary>One decoded and validated position report from a device.</summary>
[GenerateSerializer, Immutable, Alias("cmac.FixReport")]
public sealed record FixReport
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required DateTimeOffset Ts { get; init; }
    [Id(2)] public required double Lat { get; init; }
    [Id(3)] public required double Lon { get; init; }
    [Id(4)] public double? Acc { get; init; }
    [Id(5)] public double? Alt { get; init; }
    [Id(6)] public double? Spd { get; init; }
    [Id(7)] public double? Hdg { get; init; }
    [Id(8)] public int? Bat { get; init; }
}

/// <summary>A device's report of its asset's working state.</summary>
[GenerateSerializer, Immutable, Alias("cmac.StatusReport")]
public sealed record StatusReport
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required DateTimeOffset Ts { get; init; }
    [Id(2)] public required AssetState State { get; init; }
    [Id(3)] public int? Bat { get; init; }
}

/// <summary>The sensor behind a detection.</summary>
public enum DetectionSensor
{
    Metal = 0,
    Gpr = 1,
    Dual = 2,
    Dog = 3,
    Rat = 4,
}

/// <summary>A detector signal or an animal's indication at a point: a possible item.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DetectionReport")]
public sealed record DetectionReport
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required DateTimeOffset Ts { get; init; }
    [Id(2)] public required double Lat { get; init; }
    [Id(3)] public required double Lon { get; init; }
    [Id(4)] public required DetectionSensor Sensor { get; init; }
    [Id(5)] public double? Strength { get; init; }
    [Id(6)] public double? DepthCm { get; init; }
}

/// <summary>What became of a report once the asset saw it.</summary>
public enum ReportOutcome
{
    /// <summary>Applied to the live status.</summary>
    Applied = 0,
    /// <summary>The same device time was seen already: applied once, not again.</summary>
    Duplicate = 1,
    /// <summary>Older than the live status: kept for history, the live status does not go back in time.</summary>
    Late = 2,
    /// <summary>The device is not provisioned or bound to no asset.</summary>
    UnknownDevice = 3,
    /// <summary>The report contradicts what is known (a find for an unknown detection, or against an earlier decision).</summary>
    Refused = 4,
    /// <summary>The device may not do this (decide a detection that is neither its asset's nor in its asset's task area).</summary>
    Forbidden = 5,
}

/// <summary>
/// A team's decision on a detection, sent from the field: a find with its details, or clutter
/// (<see cref="Find"/> null). The detection is named by its id.
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.FindReport")]
public sealed record FindReport
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required DateTimeOffset Ts { get; init; }
    [Id(2)] public required string DetectionId { get; init; }
    [Id(3)] public Detections.FindDetails? Find { get; init; }
    [Id(4)] public string? Note { get; init; }
}

/// <summary>A device's acknowledgement of a dispatch assignment (<c>cmac/v1/{deviceId}/ack</c>).</summary>
[GenerateSerializer, Immutable, Alias("cmac.AckReport")]
public sealed record AckReport
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required DateTimeOffset Ts { get; init; }
    [Id(2)] public required string RequestId { get; init; }
}
