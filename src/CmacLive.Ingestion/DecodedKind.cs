namespace CmacLive.Ingestion;

public enum DecodedKind
{
    Rejected,
    Fix,
    Status,
    Detection,
    Find,
    Ack,
    /// <summary>Understood and deliberately not applied (an OwnTracks message other than a location, an ack).</summary>
    Ignored,
    /// <summary>The device announced it is gone (an OwnTracks last-will message).</summary>
    Gone,
}
