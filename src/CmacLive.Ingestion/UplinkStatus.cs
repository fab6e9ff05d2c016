namespace CmacLive.Ingestion;

/// <summary>What became of one uplink.</summary>
public enum UplinkStatus
{
    /// <summary>Applied (or a harmless repeat) and stored: acknowledge it.</summary>
    Accepted,

    /// <summary>Understood and deliberately not acted on (an OwnTracks message of another type).</summary>
    Ignored,

    /// <summary>Refused for good (bad topic or payload, not the device's own topic): sending it again will not help.</summary>
    Rejected,

    /// <summary>Not applied or not stored for a passing reason (storage unreachable, a silo lost): must not be acknowledged.</summary>
    Failed,
}
