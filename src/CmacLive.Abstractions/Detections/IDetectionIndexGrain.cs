namespace CmacLive.Detections;

/// <summary>
/// The detections of one hazard area (key: its code; <see cref="Outside"/> for those outside every area):
/// open ones and finds in full, clutter counted (the most recent kept), tallies for the area's view.
/// </summary>
public interface IDetectionIndexGrain : IGrainWithStringKey
{
    public const string Outside = "-";

    Task Upsert(Detection detection);

    Task<IReadOnlyList<Detection>> List();
}
