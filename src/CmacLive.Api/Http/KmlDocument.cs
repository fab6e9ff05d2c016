using System.Globalization;
using System.Text;
using System.Xml;
using CmacLive.Geo;
using CmacLive.HazardAreas;
using CmacLive.History;
using NetTopologySuite.Geometries;

namespace CmacLive.Api.Http;

/// <summary>
/// KML 2.2 for Google Earth and GIS desktops: an asset's track as one LineString over the period it covers, and the
/// hazard areas as Polygons (MultiGeometry for a MultiPolygon) with their code, type, status, unit and searched share as
/// ExtendedData, styled by status. Coordinates are WGS84 longitude,latitude[,altitude]; times as <see cref="WireTime"/>.
/// </summary>
public static class KmlDocument
{
    public const string ContentType = "application/vnd.google-earth.kml+xml";
    private const string Ns = "http://www.opengis.net/kml/2.2";

    // KML colours are aabbggrr: the dashboard's colours of each status, half transparent inside.
    private static readonly (HazardAreaStatus Status, string Line, string Fill)[] Styles =
    [
        (HazardAreaStatus.Suspected, "ff25a8f9", "6625a8f9"),
        (HazardAreaStatus.Confirmed, "ff0051e6", "660051e6"),
        (HazardAreaStatus.InClearance, "ff2828c6", "662828c6"),
        (HazardAreaStatus.Released, "ff327d2e", "66327d2e"),
    ];

    public static byte[] Track(string assetId, IReadOnlyList<TrackPoint> points) => Write(assetId, xml =>
    {
        xml.WriteStartElement("Placemark", Ns);
        xml.WriteElementString("name", Ns, assetId);
        if (points.Count > 0)
        {
            xml.WriteStartElement("TimeSpan", Ns);
            xml.WriteElementString("begin", Ns, WireTime.Of(points[0].Ts));
            xml.WriteElementString("end", Ns, WireTime.Of(points[^1].Ts));
            xml.WriteEndElement();
        }

        xml.WriteStartElement("LineString", Ns);
        xml.WriteElementString("tessellate", Ns, "1");
        xml.WriteElementString("coordinates", Ns, string.Join(' ', points.Select(p => Position(p.Lon, p.Lat, p.Alt))));
        xml.WriteEndElement();
        xml.WriteEndElement();
    });

    public static byte[] Areas(IEnumerable<HazardAreaOutline> areas) => Write("Hazard areas", xml =>
    {
        foreach (var (status, line, fill) in Styles)
        {
            xml.WriteStartElement("Style", Ns);
            xml.WriteAttributeString("id", WireNames.Of(status));
            xml.WriteStartElement("LineStyle", Ns);
            xml.WriteElementString("color", Ns, line);
            xml.WriteElementString("width", Ns, "2");
            xml.WriteEndElement();
            xml.WriteStartElement("PolyStyle", Ns);
            xml.WriteElementString("color", Ns, fill);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        foreach (var area in areas)
        {
            var view = area.View;
            xml.WriteStartElement("Placemark", Ns);
            xml.WriteElementString("name", Ns, view.Name is { } name ? $"{view.Code} {name}" : view.Code);
            xml.WriteElementString("styleUrl", Ns, "#" + WireNames.Of(view.Status));
            xml.WriteStartElement("ExtendedData", Ns);
            Data(xml, "code", view.Code);
            Data(xml, "type", WireNames.Of(view.Type));
            Data(xml, "status", WireNames.Of(view.Status));
            Data(xml, "unit", view.Unit);
            Data(xml, "areaM2", Number(view.AreaM2));
            Data(xml, "searchedM2", Number(view.SearchedM2));
            Data(xml, "percent", Number(view.Percent));
            xml.WriteEndElement();
            Shape(xml, HazardAreaGeometry.FromWkb(area.GeometryWkb));
            xml.WriteEndElement();
        }
    });

    private static void Shape(XmlWriter xml, Geometry geometry)
    {
        switch (geometry)
        {
            case Polygon polygon:
                xml.WriteStartElement("Polygon", Ns);
                Ring(xml, "outerBoundaryIs", polygon.ExteriorRing);
                foreach (var hole in polygon.InteriorRings)
                {
                    Ring(xml, "innerBoundaryIs", hole);
                }

                xml.WriteEndElement();
                break;
            case GeometryCollection parts:
                xml.WriteStartElement("MultiGeometry", Ns);
                foreach (var part in parts.Geometries)
                {
                    Shape(xml, part);
                }

                xml.WriteEndElement();
                break;
            default:
                throw new ArgumentException($"a hazard area is a Polygon or MultiPolygon, not a {geometry.GeometryType}", nameof(geometry));
        }
    }

    private static void Ring(XmlWriter xml, string boundary, LineString ring)
    {
        xml.WriteStartElement(boundary, Ns);
        xml.WriteStartElement("LinearRing", Ns);
        xml.WriteElementString("coordinates", Ns, string.Join(' ', ring.Coordinates.Select(c => Position(c.X, c.Y, null))));
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void Data(XmlWriter xml, string name, string? value)
    {
        xml.WriteStartElement("Data", Ns);
        xml.WriteAttributeString("name", name);
        xml.WriteElementString("value", Ns, value ?? "");
        xml.WriteEndElement();
    }

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Position(double lon, double lat, double? alt) =>
        alt is { } a
            ? string.Create(CultureInfo.InvariantCulture, $"{lon:R},{lat:R},{a:R}")
            : string.Create(CultureInfo.InvariantCulture, $"{lon:R},{lat:R}");

    private static byte[] Write(string name, Action<XmlWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("kml", Ns);
            xml.WriteStartElement("Document", Ns);
            xml.WriteElementString("name", Ns, name);
            body(xml);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return buffer.ToArray();
    }
}
