using CmacLive.Assets;

namespace CmacLive.HazardAreas;

/// <summary>
/// One hazard area: its definition, land-release status with its audit trail, the assets assigned to it,
/// its live searched footprint and the separation of the assets working in it. Keyed by its code, such
/// as <c>BS/CHA/CMAA/60222</c>.
/// </summary>
public interface IHazardAreaGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the area's definition (the geometry is validated by the caller).</summary>
    Task<HazardAreaView> Define(HazardAreaDefinition definition, string by);

    /// <summary>The area as it is now, or null when it is not defined. Reads only.</summary>
    Task<HazardAreaView?> GetView();

    Task<HazardAreaDefinition?> GetDefinition();

    /// <summary>The area's outline and its view in one answer (for maps), or null when it is not defined. Reads only.</summary>
    Task<HazardAreaOutline?> GetOutline();

    /// <summary>
    /// One land-release step, with the assets it let go; null for an area not defined. Throws
    /// <see cref="HazardAreaConflictException"/> when the step is not allowed now.
    /// </summary>
    Task<StatusChangeOutcome?> ChangeStatus(StatusChange change);

    /// <summary>Lists an asset as working here (called by the asset). Throws <see cref="HazardAreaConflictException"/> for an undefined or released area.</summary>
    Task<HazardAreaView> Attach(AssetRef asset);

    /// <summary>Takes an asset off the area (called by the asset).</summary>
    Task<HazardAreaView?> Detach(string assetId);

    /// <summary>A fix of an attached asset; false when the asset is not (or no longer) attached here.</summary>
    Task<bool> Worked(WorkSample sample);

    /// <summary>
    /// An assigned asset's working fixes from history that the area's stored footprint had not seen (asked for by
    /// <see cref="Assets.IAssetGrain.ReplayWork"/> when the area came back): merged in time order with what arrived meanwhile.
    /// </summary>
    Task Replayed(string assetId, IReadOnlyList<WorkSample> samples);

    /// <summary>
    /// The asset may have work points the area never took (a call lost during a failover, the asset itself lost with a
    /// silo): the area asks it (one-way) to replay its fixes after the last point it has of it, holding its live points
    /// meanwhile.
    /// </summary>
    Task Resync(string assetId);

    /// <summary>The area's detection figures changed (called by its detection index).</summary>
    Task CountDetections(Detections.DetectionTally tally);

    /// <summary>The searched footprint now, or null when the area is not defined. Reads only.</summary>
    Task<SearchedView?> GetSearched();
}
