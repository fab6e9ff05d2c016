using CmacLive.Devices;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

public static class DevicesApi
{
    public static RouteGroupBuilder MapDevicesApi(this RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/devices").WithTags("Devices");
        devices.MapPut("/{deviceId}", PutDevice).RequireAuthorization(Policies.Operate).Audited("device.put", "device:{deviceId}", "assetId", "kind")
            .WithName("PutDevice").WithSummary("Provision a device and its MQTT password").Accepts<DeviceBodies.DeviceBody>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        devices.MapGet("/{deviceId}", GetDevice).RequireAuthorization(Policies.Read).WithName("GetDevice").WithSummary("A device").ProducesProblem(StatusCodes.Status404NotFound);
        devices.MapDelete("/{deviceId}", DeleteDevice).RequireAuthorization(Policies.Operate).Audited("device.delete", "device:{deviceId}")
            .WithName("DeleteDevice").WithSummary("Cut a device off").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    /// <summary>
    /// <c>PUT /api/devices/{deviceId}</c> <c>{assetId, kind, secret}</c>: provisions the device, binds it to
    /// the asset (moving it from any other) and sets its MQTT password, which is stored only as a hash. Where the
    /// external broker keeps the logins, the broker's is set first and the registry only once the broker confirmed:
    /// 503 (the registry unchanged, the same request may be sent again) when it did not in time.
    /// </summary>
    public static async Task<Results<Ok<DeviceInfo>, ValidationProblem, ProblemHttpResult>> PutDevice(
        string deviceId, HttpRequest request, IGrainFactory grains, IBrokerDeviceLogins broker, CancellationToken cancellationToken)
    {
        var read = await BodyRead<DeviceBodies.Provisioning>.ReadAsync(
            request, (json, errors) => DeviceBodies.Provisioning.Read(json, deviceId, errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        if (await AssetsApi.FindAsync(grains, body.AssetId) is not { } asset)
        {
            return Problems.Field("assetId", $"no asset '{body.AssetId}'; create it with PUT /api/assets/{{id}} first");
        }

        if (await AtBrokerAsync(request.HttpContext, () => broker.SetAsync(deviceId, body.Secret, cancellationToken)) is { } refused)
        {
            return refused;
        }

        var provision = new DeviceProvision { Asset = asset, Kind = body.Kind, SecretHash = DeviceSecret.Hash(body.Secret) };
        return TypedResults.Ok(await grains.GetGrain<IDeviceGrain>(deviceId).Provision(provision));
    }

    /// <summary>
    /// <c>DELETE /api/devices/{deviceId}</c>: a lost or stolen tracker is cut off: it can no longer connect, and its open
    /// MQTT sessions are closed on every silo within 2 s. 404 when there is no such device. Where the external broker
    /// keeps the logins, the broker's goes first, and the registry's only once the broker confirmed (else 503).
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDevice(
        string deviceId, HttpContext context, IGrainFactory grains, IBrokerDeviceLogins broker, CancellationToken cancellationToken)
    {
        var device = Identifiers.IsId(deviceId) ? grains.GetGrain<IDeviceGrain>(deviceId) : null;
        if (device is null || await device.Get() is null)
        {
            return Problems.NoSuch("device", deviceId);
        }

        if (await AtBrokerAsync(context, () => broker.RemoveAsync(deviceId, cancellationToken)) is { } refused)
        {
            return refused;
        }

        return await device.Delete() ? TypedResults.NoContent() : Problems.NoSuch("device", deviceId);
    }

    /// <summary>The broker's side of a device change: null when done, else 409 (a login that is not a device's) or 503 with <c>Retry-After</c>.</summary>
    private static async Task<ProblemHttpResult?> AtBrokerAsync(HttpContext context, Func<Task> change)
    {
        try
        {
            await change();
            return null;
        }
        catch (BrokerLoginConflictException ex)
        {
            return Problems.Conflict(ex.Message);
        }
        catch (BrokerLoginUnconfirmedException ex)
        {
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "MQTT broker did not confirm", detail: ex.Message);
        }
    }

    public static async Task<Results<Ok<DeviceInfo>, ProblemHttpResult>> GetDevice(string deviceId, IGrainFactory grains)
    {
        var device = Identifiers.IsId(deviceId) ? await grains.GetGrain<IDeviceGrain>(deviceId).Get() : null;
        return device is null ? Problems.NoSuch("device", deviceId) : TypedResults.Ok(device);
    }
}
