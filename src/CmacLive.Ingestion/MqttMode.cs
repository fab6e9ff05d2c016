namespace CmacLive.Ingestion;

public enum MqttMode
{
    Embedded,
    External,
}
