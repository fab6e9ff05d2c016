namespace CmacLive.Tracking;

/// <summary>
/// Which hazard area an asset counts as inside for its movements (<see cref="MovementRule"/>), and the side its newest
/// fixes say it is crossing to: bounded, a few fields. Members are numbered for good and never renumbered.
/// </summary>
[GenerateSerializer, Alias("cmac.AreaPresence")]
public sealed class AreaPresence
{
    /// <summary>The area the asset counts as inside, or null: outside every area.</summary>
    [Id(0)] public string? Inside { get; set; }

    /// <summary>The side the newest fixes say (an area, or null: outside), when it differs from <see cref="Inside"/>.</summary>
    [Id(1)] public string? Crossing { get; set; }

    /// <summary>The device time of the first fix of <see cref="Crossing"/>'s side, or null when no crossing is under way.</summary>
    [Id(2)] public DateTimeOffset? CrossingSince { get; set; }

    /// <summary>The device time of the newest fix applied: an older one is late and moves nothing.</summary>
    [Id(3)] public DateTimeOffset? NewestTs { get; set; }
}
