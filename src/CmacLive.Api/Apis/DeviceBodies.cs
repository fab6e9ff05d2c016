using System.Text.Json;
using CmacLive.Devices;
using CmacLive.Validation;

namespace CmacLive.Api.Apis;

/// <summary>The bodies the device routes take, each a typed record with the one validator that reads it (<see cref="BodyRead{T}"/>).</summary>
public static class DeviceBodies
{
    private static IReadOnlyDictionary<string, DeviceKind> Kinds => WireNames.Choices<DeviceKind>();

    /// <summary>
    /// <c>PUT /api/devices/{deviceId}</c> <c>{assetId, kind, secret}</c>; the route's device id is checked with the body
    /// (whether the asset exists is the route's to look up).
    /// </summary>
    public sealed record Provisioning(string AssetId, DeviceKind Kind, string Secret)
    {
        public static Provisioning Read(JsonElement body, string deviceId, Dictionary<string, string[]> errors)
        {
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

            return new(assetId ?? "", kind ?? DeviceKind.Tracker, secret ?? "");
        }
    }

    /// <summary>The body of <c>PUT /api/devices/{deviceId}</c> as sent (<see cref="Provisioning"/> reads it).</summary>
    public sealed record DeviceBody
    {
        /// <summary>The asset the device reports for; it must exist.</summary>
        public required string AssetId { get; init; }

        public required DeviceKind Kind { get; init; }

        /// <summary>The device's MQTT password; stored only as a hash.</summary>
        public required string Secret { get; init; }
    }
}
