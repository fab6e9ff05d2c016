namespace CmacLive.Devices;

/// <summary>
/// A device's login as the MQTT broker keeps it, where the broker keeps one of its own (an external Mosquitto with
/// its dynamic-security plugin); elsewhere nothing is done. The silo that handles a device change over REST calls it
/// before the registry changes, so that one call provisions or revokes the device in both places.
/// </summary>
public interface IBrokerDeviceLogins
{
    /// <summary>
    /// Creates the device's login with this secret, limited to its own topics, or gives it the new secret; the broker
    /// closes the sessions opened before. Throws <see cref="BrokerLoginUnconfirmedException"/> when the broker did not
    /// confirm in time, <see cref="BrokerLoginConflictException"/> when the name is a login that is not a device's.
    /// </summary>
    Task SetAsync(string deviceId, string secret, CancellationToken cancellationToken);

    /// <summary>Removes the device's login (none there is fine); the broker closes its sessions. Throws as <see cref="SetAsync"/>.</summary>
    Task RemoveAsync(string deviceId, CancellationToken cancellationToken);
}
