using CmacLive.Devices;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using CmacLive.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

public static class DevicesApi
{
    private static readonly Dictionary<string, DeviceKind> Kinds = new()
    {
        ["tracker"] = DeviceKind.Tracker,
        ["detector"] = DeviceKind.Detector,
    };

    public static RouteGroupBuilder MapDevicesApi(this RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/devices");
        devices.MapPut("/{deviceId}", PutDevice).RequireAuthorization(Policies.Operate).Audited("device.put", "device:{deviceId}", "assetId", "kind");
        devices.MapGet("/{deviceId}", GetDevice).RequireAuthorization(Policies.Read);
        devices.MapDelete("/{deviceId}", DeleteDevice).RequireAuthorization(Policies.Operate).Audited("device.delete", "device:{deviceId}");
        return api;
    }

    /// <summary>
    /// <c>PUT /api/devices/{deviceId}</c> <c>{assetId, kind, secret}</c>: provisions the device, binds it to
    /// the asset (moving it from any other) and sets its MQTT password, which is stored only as a hash.
    /// </summary>
    public static async Task<Results<Ok<DeviceInfo>, ValidationProblem>> PutDevice(
        string deviceId, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (body, error) = await Problems.ReadObjectAsync(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, string[]>();
        if (!Identifiers.IsId(deviceId))
        {
            errors["deviceId"] = [Identifiers.IdRule];
        }

        var assetId = Problems.RequiredId(body, "assetId", errors);
        var kind = Problems.RequiredChoice(body, "kind", Kinds, errors);

        var secret = Problems.OptionalString(body, "secret", errors);
        if (secret is null && !errors.ContainsKey("secret"))
        {
            errors["secret"] = ["is required"];
        }
        else if (secret is { Length: < DeviceSecret.MinLength or > InputLimits.Secret })
        {
            errors["secret"] = [$"must be {DeviceSecret.MinLength} to {InputLimits.Secret} characters"];
        }

        var asset = assetId is null ? null : await AssetsApi.FindAsync(grains, assetId);
        if (assetId is not null && asset is null)
        {
            errors["assetId"] = [$"no asset '{assetId}'; create it with PUT /api/assets/{{id}} first"];
        }

        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var provision = new DeviceProvision { Asset = asset!, Kind = kind!.Value, SecretHash = DeviceSecret.Hash(secret!) };
        return TypedResults.Ok(await grains.GetGrain<IDeviceGrain>(deviceId).Provision(provision));
    }

    /// <summary>
    /// <c>DELETE /api/devices/{deviceId}</c>: a lost or stolen tracker is cut off: it can no longer connect, and its open
    /// MQTT sessions are closed on every silo within 2 s. 404 when there is no such device.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDevice(string deviceId, IGrainFactory grains) =>
        Identifiers.IsId(deviceId) && await grains.GetGrain<IDeviceGrain>(deviceId).Delete()
            ? TypedResults.NoContent()
            : Problems.NoSuch("device", deviceId);

    public static async Task<Results<Ok<DeviceInfo>, ProblemHttpResult>> GetDevice(string deviceId, IGrainFactory grains)
    {
        var device = Identifiers.IsId(deviceId) ? await grains.GetGrain<IDeviceGrain>(deviceId).Get() : null;
        return device is null ? Problems.NoSuch("device", deviceId) : TypedResults.Ok(device);
    }
}
