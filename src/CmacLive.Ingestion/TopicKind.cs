namespace CmacLive.Ingestion;

/// <summary>What a device publishes on, per the contract's topic table.</summary>
public enum TopicKind
{
    Unknown,
    Position,
    Status,
    Detection,
    Ack,
    OwnTracks,
    Find,
}
