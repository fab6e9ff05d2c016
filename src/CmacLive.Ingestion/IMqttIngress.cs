namespace CmacLive.Ingestion;

/// <summary>Where this silo's uplinks come in: the embedded broker or the external broker's shared subscription.</summary>
public interface IMqttIngress
{
    /// <summary>True while uplinks can arrive.</summary>
    bool IsReady { get; }

    /// <summary>One line for the health report.</summary>
    string Describe();
}
