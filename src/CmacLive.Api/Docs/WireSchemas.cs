using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NetTopologySuite.Geometries;

namespace CmacLive.Api.Docs;

/// <summary>
/// Schemas as the wire has them where the type alone does not say it: a time is a UTC ISO-8601 string (its converter is the
/// project's own), and a NetTopologySuite geometry is written as a GeoJSON geometry (RFC 7946, WGS84 longitude, latitude) by
/// its converter, not as the object's members.
/// </summary>
public sealed class WireSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
        {
            // Written by UtcTimeConverter, so the exporter sees no type of its own.
            schema.Type = type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
        }

        if (typeof(Geometry).IsAssignableFrom(type))
        {
            schema.Type = JsonSchemaType.Object;
            schema.Description = "A GeoJSON geometry (RFC 7946): WGS84 positions as [longitude, latitude]; hazard areas are a Polygon or MultiPolygon.";
            schema.Required = new HashSet<string> { "type", "coordinates" };
            schema.Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. new[] { "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon" }.Select(t => (JsonNode)JsonValue.Create(t))],
                },
                ["coordinates"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Description = "Positions, nested as the geometry's type says: a position is [longitude, latitude], a ring a closed array of positions.",
                },
            };
        }

        return Task.CompletedTask;
    }
}
