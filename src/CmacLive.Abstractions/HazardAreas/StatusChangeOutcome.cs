using CmacLive.Assets;

namespace CmacLive.HazardAreas;

/// <summary>An area after a land-release step, and the assets the step let go (released land is no one's task).</summary>
[GenerateSerializer, Immutable, Alias("cmac.StatusChangeOutcome")]
public sealed record StatusChangeOutcome
{
    [Id(0)] public required HazardAreaView View { get; init; }

    /// <summary>The assets listed as working here until the area was released (none for any other step).</summary>
    [Id(1)] public IReadOnlyList<AssetRef> LetGo { get; init; } = [];
}
