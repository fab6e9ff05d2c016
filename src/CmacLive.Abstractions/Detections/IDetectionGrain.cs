namespace CmacLive.Detections;

/// <summary>One detection, keyed by <see cref="DetectionIds.For"/>: its report and the decision on it.</summary>
public interface IDetectionGrain : IGrainWithStringKey
{
    /// <summary>Records the detection (a repeated report changes nothing); answers it as stored.</summary>
    Task<Detection> Record(Detection detection);

    /// <summary>
    /// Confirms the detection as a find or marks it clutter; the same decision again is answered as it stands.
    /// Null when the detection is unknown; <see cref="DetectionConflictException"/> when it contradicts an earlier decision.
    /// </summary>
    Task<Detection?> Decide(DetectionDecision decision);

    Task<Detection?> Get();
}
