namespace CmacLive.Assets;

/// <summary>
/// The tracking behaviour every asset kind shares. Each kind has its own grain type
/// (<see cref="ITeamGrain"/>, <see cref="IMachineGrain"/>, <see cref="IDogGrain"/>, <see cref="IRatGrain"/>);
/// reach one through <see cref="AssetGrains"/>. Keyed by asset id.
/// </summary>
public interface IAssetGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the asset's profile; answers the live status.</summary>
    Task<AssetStatus> Configure(AssetProfile profile);

    /// <summary>The live status, or null when the asset was never configured.</summary>
    Task<AssetStatus?> GetStatus();

    Task<ReportOutcome> ProcessFix(FixReport fix);

    Task<ReportOutcome> ProcessStatus(StatusReport report);

    Task<ReportOutcome> ProcessDetection(DetectionReport detection);

    /// <summary>The asset's team confirms a detection as a find, or marks it clutter.</summary>
    Task<ReportOutcome> ProcessFind(FindReport report);

    /// <summary>
    /// Assigns the asset to a hazard area (null: to none), leaving its previous one. Throws
    /// <c>HazardAreaConflictException</c> when the area is not defined or released. Null when the asset is not configured.
    /// </summary>
    Task<AssetStatus?> AssignTask(string? code);

    /// <summary>Leaves the hazard area <paramref name="code"/> if that is the asset's task. Null when the asset is not configured.</summary>
    Task<AssetStatus?> ReleaseTask(string code);

    /// <summary>A device of this asset dropped its connection without a clean disconnect.</summary>
    Task ConnectionLost(string deviceId);

    /// <summary>
    /// The hazard area <paramref name="code"/> came back with a footprint stored as of <paramref name="since"/> (device
    /// time): the asset reads its fixes after that from history and hands those of its current working period to the
    /// area (<see cref="HazardAreas.IHazardAreaGrain.Replayed"/>). One-way: the area never waits on the asset.
    /// </summary>
    [Orleans.Concurrency.OneWay]
    Task ReplayWork(string code, DateTimeOffset since);
}
