using CmacLive.Devices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CmacLive.Ingestion;

/// <summary>
/// A device's login in Mosquitto's dynamic-security plugin: a client named by the device id, holding the role
/// <c>cmaclive-device-{id}</c> (its own uplinks and downlinks only). Each change waits for the plugin's answer for at
/// most <c>Mqtt:DynamicSecurityTimeout</c>; a login of that name without that role is not a device's and is left alone.
/// </summary>
public sealed partial class DynamicSecurityDeviceLogins(
    DynamicSecurityClient broker,
    IOptions<MqttOptions> options,
    ILogger<DynamicSecurityDeviceLogins> logger) : IBrokerDeviceLogins
{
    private const string ClientExists = "Client already exists";
    private const string ClientNotFound = "Client not found";

    public Task SetAsync(string deviceId, string secret, CancellationToken cancellationToken) =>
        ConfirmedAsync(deviceId, "set", async deadline =>
        {
            var role = DynamicSecurityCommands.DeviceRole(deviceId);
            var created = await broker.SendAsync(
            [
                DynamicSecurityCommands.CreateRole(role, DynamicSecurityCommands.DeviceAcls(deviceId)),
                DynamicSecurityCommands.CreateClient(deviceId, secret, role),
            ], deadline);
            DynamicSecurityClient.Expect(created[0], "Role already exists");
            if (DynamicSecurityClient.Expect(created[1], ClientExists))
            {
                return;
            }

            // Known already: a new secret, only if the login is a device's (never the silos' own or a person's).
            await DeviceLoginAsync(deviceId, role, deadline);
            DynamicSecurityClient.Expect((await broker.SendAsync([DynamicSecurityCommands.SetClientPassword(deviceId, secret)], deadline))[0]);
        }, cancellationToken);

    public Task RemoveAsync(string deviceId, CancellationToken cancellationToken) =>
        ConfirmedAsync(deviceId, "remove", async deadline =>
        {
            var role = DynamicSecurityCommands.DeviceRole(deviceId);
            try
            {
                if (!await DeviceLoginAsync(deviceId, role, deadline))
                {
                    return;
                }
            }
            catch (BrokerLoginConflictException)
            {
                LogNotADevice(deviceId);
                return; // the device goes from the registry; a login of another kind stays as it is
            }

            var removed = await broker.SendAsync(
                [DynamicSecurityCommands.DeleteClient(deviceId), DynamicSecurityCommands.DeleteRole(role)], deadline);
            DynamicSecurityClient.Expect(removed[0], ClientNotFound);
            DynamicSecurityClient.Expect(removed[1], "Role not found");
        }, cancellationToken);

    /// <summary>True when the broker has the device's login, false when it has none; a login of that name that is not a device's throws.</summary>
    private async Task<bool> DeviceLoginAsync(string deviceId, string role, CancellationToken deadline)
    {
        var found = (await broker.SendAsync([DynamicSecurityCommands.GetClient(deviceId)], deadline))[0];
        if (!DynamicSecurityClient.Expect(found, ClientNotFound))
        {
            return false;
        }

        return DynamicSecurityCommands.HasRole(found.Data, role)
            ? true
            : throw new BrokerLoginConflictException($"the MQTT broker has a login '{deviceId}' that is not a device's; it is left as it is");
    }

    private async Task ConfirmedAsync(string deviceId, string change, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var timeout = options.Value.DynamicSecurityTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await work(deadline.Token);
        }
        catch (BrokerLoginConflictException)
        {
            throw;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException
                ? $"the MQTT broker did not confirm within {timeout.TotalSeconds:0.#} s"
                : ex.Message;
            LogUnconfirmed(ex, change, deviceId, reason);
            throw new BrokerLoginUnconfirmedException(
                $"the device's login at the MQTT broker could not be {(change == "set" ? "set" : "removed")}: {reason}; " +
                "the registry is unchanged; send the same request again", ex);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Dynamic security: could not {Change} the login of device {DeviceId} at the MQTT broker: {Reason}")]
    private partial void LogUnconfirmed(Exception ex, string change, string deviceId, string reason);

    [LoggerMessage(LogLevel.Warning, "Dynamic security: the MQTT broker's login {DeviceId} is not a device's; it is left as it is")]
    private partial void LogNotADevice(string deviceId);
}
