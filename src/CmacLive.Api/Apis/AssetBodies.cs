using System.Text.Json;
using CmacLive.Assets;
using CmacLive.Validation;

namespace CmacLive.Api.Apis;

/// <summary>The bodies the asset routes take, each a typed record with the one validator that reads it (<see cref="BodyRead{T}"/>).</summary>
public static class AssetBodies
{
    private static IReadOnlyDictionary<string, AssetKind> Kinds => WireNames.Choices<AssetKind>();

    /// <summary><c>PUT /api/assets/{id}</c> <c>{kind, name, unit, capabilities?}</c>; the route's id is checked with the body.</summary>
    public sealed record Registration(AssetProfile Profile)
    {
        public static Registration Read(JsonElement body, string id, Dictionary<string, string[]> errors)
        {
            if (!Identifiers.IsId(id))
            {
                errors["id"] = [Identifiers.IdRule];
            }

            var kind = Problems.RequiredChoice(body, "kind", Kinds, errors);
            var name = Problems.RequiredText(body, "name", InputLimits.Name, errors);
            var unit = Problems.UnitCode(Problems.RequiredString(body, "unit", errors), "unit", errors);
            var capabilities = Capabilities(body, errors);
            return new(new AssetProfile { Kind = kind ?? AssetKind.Team, Name = name ?? "", Unit = unit ?? "", Capabilities = capabilities });
        }
    }

    private static string[] Capabilities(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("capabilities", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > InputLimits.ListItems
            || value.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String || !Identifiers.Capability().IsMatch(c.GetString()!)))
        {
            errors["capabilities"] = [$"must be an array of at most {InputLimits.ListItems} lower-case words such as eod, manual, mechanical"];
            return [];
        }

        return [.. value.EnumerateArray().Select(c => c.GetString()!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The body of <c>PUT /api/assets/{id}</c> as sent (<see cref="Registration"/> reads it).</summary>
    public sealed record AssetBody
    {
        public required AssetKind Kind { get; init; }

        public required string Name { get; init; }

        /// <summary>The unit's code, such as DU5 (read in upper case).</summary>
        public required string Unit { get; init; }

        /// <summary>Lower-case words such as eod, manual, mechanical.</summary>
        public IReadOnlyList<string>? Capabilities { get; init; }
    }
}
