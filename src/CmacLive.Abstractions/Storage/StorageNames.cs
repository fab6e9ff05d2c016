namespace CmacLive.Storage;

/// <summary>Names of the grain storage providers the grains use.</summary>
public static class StorageNames
{
    /// <summary>Durable grain state: asset profiles and last status, devices, hazard areas.</summary>
    public const string Main = "cmac";
}
