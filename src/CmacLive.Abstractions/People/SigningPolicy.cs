namespace CmacLive.People;

/// <summary>How keys are rotated and kept.</summary>
[GenerateSerializer, Immutable, Alias("cmac.SigningPolicy")]
public sealed record SigningPolicy
{
    /// <summary>A key older than this is replaced on the next read.</summary>
    [Id(0)] public required TimeSpan RotateAfter { get; init; }

    /// <summary>How long a replaced key stays to validate the tokens it signed (at least the token lifetime).</summary>
    [Id(1)] public required TimeSpan RetainAfterReplaced { get; init; }

    /// <summary>How long a new key waits before it signs, so every silo has read it by then.</summary>
    [Id(2)] public required TimeSpan Propagation { get; init; }
}
