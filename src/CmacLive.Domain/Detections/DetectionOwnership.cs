namespace CmacLive.Detections;

/// <summary>
/// Who may decide a detection from the field: the asset that reported it, or an asset whose task is the hazard area
/// the detection lies in (a team clearing the lane its dog indicated). Nobody else: a possible mine is never dismissed
/// by a device of another team, unit or area. People decide over REST under their roles instead.
/// </summary>
public static class DetectionOwnership
{
    public static bool MayDecide(Detection detection, string assetId, string? taskArea) =>
        string.Equals(detection.AssetId, assetId, StringComparison.Ordinal)
        || (detection.HazardArea is { } area && taskArea is not null && string.Equals(area, taskArea, StringComparison.Ordinal));
}
