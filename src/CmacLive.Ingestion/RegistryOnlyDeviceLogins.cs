using CmacLive.Devices;

namespace CmacLive.Ingestion;

/// <summary>Where the broker's logins are not the silo's to keep: the embedded broker checks the registry itself, or an external broker's are kept by hand.</summary>
public sealed class RegistryOnlyDeviceLogins : IBrokerDeviceLogins
{
    public Task SetAsync(string deviceId, string secret, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveAsync(string deviceId, CancellationToken cancellationToken) => Task.CompletedTask;
}
