using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A corpus of hostile REST requests sent to a real silo, one case a test: each is answered with its documented status
/// (problem+json naming the field where there is one), echoes nothing long, changes nothing (the resource reads back as
/// before, no audit entry is recorded), and the silo answers afterwards.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class HostileRestTests(SiloFixture fixture)
{
    private TestSilo Silo => fixture.Silo;

    /// <summary>What a case needs in place before it is sent, and reads back after.</summary>
    public enum Subject
    {
        None,
        Asset,
        Device,
        Area,
        Request,
        Project,
        User,
    }

    /// <summary>The ids of one case's resources, fresh for each case.</summary>
    public sealed record Scene(string AssetId, string DeviceId, string Code, string RequestId, string ProjectId, string UserName)
    {
        public string AreaPath => $"/api/hazard-areas/{Uri.EscapeDataString(Code)}";

        public static Scene New()
        {
            var tag = Guid.NewGuid().ToString("N")[..10];
            return new($"DU5-H-{tag}", $"trk-h-{tag}", $"BS/CHA/H/{tag}", $"REQ-H-{tag}", $"PRJ-H-{tag}", $"hostile-{tag}");
        }
    }

    /// <param name="Read">The path read before and after (null: the subject's own).</param>
    public sealed record Case(
        Subject Subject, string Method, Func<Scene, string> Path, Func<Scene, byte[]?> Body, HttpStatusCode Status, string? Field,
        Func<Scene, string>? Read = null);

    private static byte[] J(string json) => Encoding.UTF8.GetBytes(json);

    private static string Text(int length) => new('x', length);

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static string Ring(params (double Lon, double Lat)[] points) =>
        "[" + string.Join(",", points.Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.Lon},{p.Lat}]"))) + "]";

    private static readonly string Square = Ring((102.60, 12.90), (102.61, 12.90), (102.61, 12.91), (102.60, 12.91), (102.60, 12.90));

    private static string Feature(string geometry, string properties = """{"type":"CHA"}""") =>
        $$"""{"type":"Feature","properties":{{properties}},"geometry":{{geometry}}}""";

    private static string Polygon(string rings) => $$"""{"type":"Polygon","coordinates":[{{rings}}]}""";

    /// <summary>A ring of <paramref name="vertices"/> vertices (the first repeated last) around a point in Battambang.</summary>
    private static string Circle(int vertices) => Ring([.. Enumerable.Range(0, vertices)
        .Select(i => 2 * Math.PI * (i % (vertices - 1)) / (vertices - 1))
        .Select(a => (Math.Round(102.9 + 0.01 * Math.Cos(a), 9), Math.Round(13.3 + 0.01 * Math.Sin(a), 9)))]);

    private const string Asset = """{"kind":"team","name":"EOD team","unit":"DU5","capabilities":["eod"]}""";

    private static string AssetWith(string member) => $$"""{"kind":"team","name":"EOD team","unit":"DU5",{{member}}}""";

    private static string RequestWith(string member) => $$"""{"lat":13.3712,"lon":102.9954,"found":"uxo",{{member}}}""";

    private static string ProjectWith(string member) => $$"""{"name":"Samlot","units":["DU5"],"targetM2":100000,"start":"2026-01-01","end":"2026-12-31",{{member}}}""";

    private static string UserWith(string member) => $$"""{"displayName":"Hostile","roles":["viewer"],{{member}}}""";

    private static string Confirm(string member) => $$"""{"category":"uxo","depthCm":5,"disposal":"removed",{{member}}}""";

    private static readonly Dictionary<string, Case> Corpus = new(StringComparer.Ordinal)
    {
        // Assets: every string held to its limit and rule; the existing asset reads back unchanged.
        ["asset name over 200"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J($$"""{"kind":"team","name":"{{Text(201)}}","unit":"DU5"}"""), HttpStatusCode.BadRequest, "name"),
        ["asset name sent twice"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J(AssetWith("\"name\":\"Other\"")), HttpStatusCode.BadRequest, "name"),
        ["asset name with NUL"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J("""{"kind":"team","name":"EOD\u0000team","unit":"DU5"}"""), HttpStatusCode.BadRequest, "name"),
        ["asset name with escape sequence"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J("""{"kind":"team","name":"\u001b[2J","unit":"DU5"}"""), HttpStatusCode.BadRequest, "name"),
        ["asset name a lone surrogate"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J("""{"kind":"team","name":"\ud800","unit":"DU5"}"""), HttpStatusCode.BadRequest, "name"),
        ["asset name not UTF-8"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => [.. J("""{"kind":"team","unit":"DU5","name":"""), 0x22, 0xC3, 0x28, 0xFF, 0x22, 0x7D], HttpStatusCode.BadRequest, "name"),
        ["asset name a number"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J("""{"kind":"team","name":42,"unit":"DU5"}"""), HttpStatusCode.BadRequest, "name"),
        ["asset kind an array"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J("""{"kind":["team"],"name":"EOD team","unit":"DU5"}"""), HttpStatusCode.BadRequest, "kind"),
        ["asset unit with a look-alike long s"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J("""{"kind":"team","name":"EOD team","unit":"\u017Fu5"}"""), HttpStatusCode.BadRequest, "unit"),
        ["asset unit with a line feed"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J("""{"kind":"team","name":"EOD team","unit":"DU\n5"}"""), HttpStatusCode.BadRequest, "unit"),
        ["asset with 65 capabilities"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J(AssetWith($"\"capabilities\":[{string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"c{i}\""))}]")), HttpStatusCode.BadRequest, "capabilities"),
        ["asset body nested 33 deep"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J(AssetWith($"\"x\":{Nested(33)}")), HttpStatusCode.BadRequest, "body"),
        ["asset body nested 5000 deep"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J(AssetWith($"\"x\":{Nested(5000)}")), HttpStatusCode.BadRequest, "body"),
        ["asset number too large in an unknown member"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J(AssetWith("\"x\":1e400")), HttpStatusCode.BadRequest, "x"),
        ["asset body with NaN"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J(AssetWith("\"x\":NaN")), HttpStatusCode.BadRequest, "body"),
        ["asset body an array"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J("[" + Asset + "]"), HttpStatusCode.BadRequest, "body"),
        ["asset body of two objects"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J(Asset + Asset), HttpStatusCode.BadRequest, "body"),
        ["asset body over 1 MiB"] = new(Subject.Asset, "PUT", s => $"/api/assets/{s.AssetId}", _ => J(AssetWith($"\"pad\":\"{Text(1024 * 1024)}\"")), HttpStatusCode.RequestEntityTooLarge, null),

        // Asset ids in the path: control characters, slashes, dots, look-alikes and length; nothing is created.
        ["asset id with an encoded line feed"] = new(Subject.None, "PUT", s => $"/api/assets/{s.AssetId}%0A", _ => J(Asset), HttpStatusCode.BadRequest, "id", s => $"/api/assets/{s.AssetId}%0A"),
        ["asset id with an encoded slash"] = new(Subject.None, "PUT", s => $"/api/assets/{s.AssetId}%2Fx", _ => J(Asset), HttpStatusCode.BadRequest, "id", s => $"/api/assets/{s.AssetId}%2Fx"),
        // Dot segments are resolved before routing (RFC 3986), so "/api/assets/.." is "/api/": no resource is ever named "..".
        ["asset id of encoded dots"] = new(Subject.None, "PUT", _ => "/api/assets/%2E%2E", _ => J(Asset), HttpStatusCode.MethodNotAllowed, null, _ => "/api/assets/%2E%2E"),
        ["asset id of three dots"] = new(Subject.None, "PUT", _ => "/api/assets/...", _ => J(Asset), HttpStatusCode.BadRequest, "id", _ => "/api/assets/..."),
        ["asset id with a Cyrillic look-alike"] = new(Subject.None, "PUT", s => $"/api/assets/{Uri.EscapeDataString(s.AssetId.Replace('H', 'Н'))}", _ => J(Asset), HttpStatusCode.BadRequest, "id", s => $"/api/assets/{Uri.EscapeDataString(s.AssetId.Replace('H', 'Н'))}"),
        ["asset id of 65 characters"] = new(Subject.None, "PUT", s => $"/api/assets/{s.AssetId}{Text(65 - s.AssetId.Length)}", _ => J(Asset), HttpStatusCode.BadRequest, "id", s => $"/api/assets/{s.AssetId}{Text(65 - s.AssetId.Length)}"),
        ["asset id of 4000 characters"] = new(Subject.None, "GET", _ => $"/api/assets/{Text(4000)}", _ => null, HttpStatusCode.NotFound, null),

        // Devices.
        ["device secret over 256"] = new(Subject.Device, "PUT", s => $"/api/devices/{s.DeviceId}", s => J($$"""{"assetId":"{{s.AssetId}}","kind":"tracker","secret":"{{Text(257)}}"}"""), HttpStatusCode.BadRequest, "secret"),
        ["device secret sent twice"] = new(Subject.Device, "PUT", s => $"/api/devices/{s.DeviceId}", s => J($$"""{"assetId":"{{s.AssetId}}","kind":"tracker","secret":"a-new-secret-1","secret":"a-new-secret-2"}"""), HttpStatusCode.BadRequest, "secret"),
        ["device assetId of 4000 characters"] = new(Subject.Device, "PUT", s => $"/api/devices/{s.DeviceId}", _ => J($$"""{"assetId":"{{Text(4000)}}","kind":"tracker","secret":"a-new-secret-1"}"""), HttpStatusCode.BadRequest, "assetId"),
        ["device assetId with a line feed"] = new(Subject.Device, "PUT", s => $"/api/devices/{s.DeviceId}", s => J($$"""{"assetId":"{{s.AssetId}}\nx","kind":"tracker","secret":"a-new-secret-1"}"""), HttpStatusCode.BadRequest, "assetId"),
        ["device id with an encoded line feed"] = new(Subject.Asset, "PUT", s => $"/api/devices/{s.DeviceId}%0A", s => J($$"""{"assetId":"{{s.AssetId}}","kind":"tracker","secret":"a-new-secret-1"}"""), HttpStatusCode.BadRequest, "deviceId", s => $"/api/devices/{s.DeviceId}%0A"),
        ["device id with an MQTT wildcard"] = new(Subject.Asset, "PUT", s => $"/api/devices/{s.DeviceId}%23", s => J($$"""{"assetId":"{{s.AssetId}}","kind":"tracker","secret":"a-new-secret-1"}"""), HttpStatusCode.BadRequest, "deviceId", s => $"/api/devices/{s.DeviceId}%23"),

        // Hazard areas: invalid GeoJSON, too many vertices, members sent twice at any depth, codes that play with paths.
        ["area polygon that crosses itself"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Ring((102.60, 12.90), (102.61, 12.91), (102.61, 12.90), (102.60, 12.91), (102.60, 12.90))))), HttpStatusCode.BadRequest, "geometry"),
        ["area ring not closed"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Ring((102.60, 12.90), (102.61, 12.90), (102.61, 12.91), (102.60, 12.91))))), HttpStatusCode.BadRequest, "geometry"),
        ["area ring of three points"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Ring((102.60, 12.90), (102.61, 12.90), (102.60, 12.90))))), HttpStatusCode.BadRequest, "geometry"),
        ["area ring empty"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon("[]"))), HttpStatusCode.BadRequest, "geometry"),
        ["area polygon without coordinates"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature("""{"type":"Polygon"}""")), HttpStatusCode.BadRequest, "geometry"),
        ["area a point"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature("""{"type":"Point","coordinates":[102.6,12.9]}""")), HttpStatusCode.BadRequest, "geometry"),
        ["area a geometry collection"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature($$"""{"type":"GeometryCollection","geometries":[{{Polygon(Square)}}]}""")), HttpStatusCode.BadRequest, "geometry"),
        ["area of an unknown geometry type"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature($$"""{"type":"Hexagon","coordinates":[{{Square}}]}""")), HttpStatusCode.BadRequest, "geometry"),
        ["area geometry type a number"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature($$"""{"type":7,"coordinates":[{{Square}}]}""")), HttpStatusCode.BadRequest, "geometry"),
        ["area coordinates as strings"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature("""{"type":"Polygon","coordinates":[[["102.6","12.9"],["102.61","12.9"],["102.61","12.91"],["102.6","12.9"]]]}""")), HttpStatusCode.BadRequest, "geometry"),
        ["area position of one number"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature("""{"type":"Polygon","coordinates":[[[102.6],[102.61,12.9],[102.61,12.91],[102.6,12.9]]]}""")), HttpStatusCode.BadRequest, "geometry"),
        ["area coordinate too large to hold"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature("""{"type":"Polygon","coordinates":[[[1e400,12.9],[102.61,12.9],[102.61,12.91],[1e400,12.9]]]}""")), HttpStatusCode.BadRequest, "geometry.coordinates[0][0][0]"),
        ["area in metres, not degrees"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Ring((11421000, 1448000), (11422000, 1448000), (11422000, 1449000), (11421000, 1448000))))), HttpStatusCode.BadRequest, "geometry"),
        ["area multipolygon with an empty polygon"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature($$"""{"type":"MultiPolygon","coordinates":[[{{Square}}],[]]}""")), HttpStatusCode.BadRequest, "geometry"),
        ["area of 10001 vertices"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Circle(10_001)))), HttpStatusCode.BadRequest, "geometry"),
        ["area coordinates nested 40 deep"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature($$"""{"type":"Polygon","coordinates":{{Nested(40)}}}""")), HttpStatusCode.BadRequest, "body"),
        ["area coordinates sent twice"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature($$"""{"type":"Polygon","coordinates":[{{Square}}],"coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}""")), HttpStatusCode.BadRequest, "geometry.coordinates"),
        ["area geometry type sent twice"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature($$"""{"type":"Polygon","coordinates":[{{Square}}],"type":"Point"}""")), HttpStatusCode.BadRequest, "geometry.type"),
        ["area property name sent twice"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Square), """{"type":"CHA","name":"a","name":"b"}""")), HttpStatusCode.BadRequest, "properties.name"),
        ["area property type sent twice, escaped"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Square), """{"type":"CHA","typ\u0065":"SHA"}""")), HttpStatusCode.BadRequest, "properties.type"),
        ["area name over 200"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Square), $$"""{"type":"CHA","name":"{{Text(201)}}"}""")), HttpStatusCode.BadRequest, "properties.name"),
        ["area province over 100"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Square), $$"""{"type":"CHA","province":"{{Text(101)}}"}""")), HttpStatusCode.BadRequest, "properties.province"),
        ["area unit of 65 characters"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Square), $$"""{"type":"CHA","unit":"{{Text(65)}}"}""")), HttpStatusCode.BadRequest, "properties.unit"),
        ["area unit that is no unit code"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Square), """{"type":"CHA","unit":"~area:X"}""")), HttpStatusCode.BadRequest, "properties.unit"),
        ["area unit with a space"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Square), """{"type":"CHA","unit":"DU 5"}""")), HttpStatusCode.BadRequest, "properties.unit"),
        ["area unit a number"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Square), """{"type":"CHA","unit":5}""")), HttpStatusCode.BadRequest, "properties.unit"),
        ["area project over 100"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Square), $$"""{"type":"CHA","project":"{{Text(101)}}"}""")), HttpStatusCode.BadRequest, "properties.project"),
        ["area properties not an object"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Square), "\"CHA\"")), HttpStatusCode.BadRequest, "properties"),
        ["area code in the body of 4000 characters"] = new(Subject.Area, "PUT", s => s.AreaPath, _ => J(Feature(Polygon(Square), $$"""{"type":"CHA","code":"{{Text(4000)}}"}""")), HttpStatusCode.BadRequest, "properties.code"),
        ["area code with a .. level"] = new(Subject.None, "PUT", s => $"/api/hazard-areas/{Uri.EscapeDataString(s.Code + "/../x")}", _ => J(Feature(Polygon(Square))), HttpStatusCode.BadRequest, "code", s => $"/api/hazard-areas/{Uri.EscapeDataString(s.Code + "/../x")}"),
        ["area code with an empty level"] = new(Subject.None, "PUT", s => $"/api/hazard-areas/{Uri.EscapeDataString(s.Code + "//x")}", _ => J(Feature(Polygon(Square))), HttpStatusCode.BadRequest, "code", s => $"/api/hazard-areas/{Uri.EscapeDataString(s.Code + "//x")}"),
        ["area code ending in a slash"] = new(Subject.None, "PUT", s => $"/api/hazard-areas/{Uri.EscapeDataString(s.Code + "/")}", _ => J(Feature(Polygon(Square))), HttpStatusCode.BadRequest, "code", s => $"/api/hazard-areas/{Uri.EscapeDataString(s.Code + "/")}"),
        ["area code with a line feed"] = new(Subject.None, "PUT", s => $"/api/hazard-areas/{Uri.EscapeDataString(s.Code + "\n")}", _ => J(Feature(Polygon(Square))), HttpStatusCode.BadRequest, "code", s => $"/api/hazard-areas/{Uri.EscapeDataString(s.Code + "\n")}"),
        ["area code of 65 characters"] = new(Subject.None, "PUT", s => $"/api/hazard-areas/{Uri.EscapeDataString(s.Code + "/" + Text(64 - s.Code.Length))}", _ => J(Feature(Polygon(Square))), HttpStatusCode.BadRequest, "code", s => $"/api/hazard-areas/{Uri.EscapeDataString(s.Code + "/" + Text(64 - s.Code.Length))}"),
        ["area status note over 1000"] = new(Subject.Area, "POST", s => s.AreaPath + "/status", _ => J($$"""{"status":"in-clearance","note":"{{Text(1001)}}"}"""), HttpStatusCode.BadRequest, "note"),
        ["area status by over 100"] = new(Subject.Area, "POST", s => s.AreaPath + "/status", _ => J($$"""{"status":"in-clearance","by":"{{Text(101)}}"}"""), HttpStatusCode.BadRequest, "by"),
        ["area status outcome not an object"] = new(Subject.Area, "POST", s => s.AreaPath + "/status", _ => J("""{"status":"released","outcome":[1,2,3]}"""), HttpStatusCode.BadRequest, "outcome"),
        ["area status outcome too large to hold"] = new(Subject.Area, "POST", s => s.AreaPath + "/status", _ => J("""{"status":"released","outcome":{"clearedM2":1e400}}"""), HttpStatusCode.BadRequest, "outcome.clearedM2"),
        ["area status sent twice"] = new(Subject.Area, "POST", s => s.AreaPath + "/status", _ => J("""{"status":"in-clearance","status":"released"}"""), HttpStatusCode.BadRequest, "status"),
        ["area assignment of a 4000-character asset"] = new(Subject.Area, "PUT", s => $"{s.AreaPath}/assets/{Text(4000)}", _ => null, HttpStatusCode.NotFound, null),

        // Detections and alerts: notes, models and ids.
        ["detection confirm note over 1000"] = new(Subject.None, "POST", _ => "/api/detections/trk-1-1778555045000/confirm", _ => J(Confirm($"\"note\":\"{Text(1001)}\"")), HttpStatusCode.BadRequest, "note"),
        ["detection confirm model over 100"] = new(Subject.None, "POST", _ => "/api/detections/trk-1-1778555045000/confirm", _ => J(Confirm($"\"model\":\"{Text(101)}\"")), HttpStatusCode.BadRequest, "model"),
        ["detection confirm depth too large to hold"] = new(Subject.None, "POST", _ => "/api/detections/trk-1-1778555045000/confirm", _ => J("""{"category":"uxo","depthCm":1e400,"disposal":"removed"}"""), HttpStatusCode.BadRequest, "depthCm"),
        ["detection confirm category sent twice"] = new(Subject.None, "POST", _ => "/api/detections/trk-1-1778555045000/confirm", _ => J(Confirm("\"category\":\"ap-mine\"")), HttpStatusCode.BadRequest, "category"),
        ["detection clutter note over 1000"] = new(Subject.None, "POST", _ => "/api/detections/trk-1-1778555045000/clutter", _ => J($$"""{"note":"{{Text(1001)}}"}"""), HttpStatusCode.BadRequest, "note"),
        ["detection id of 4000 characters"] = new(Subject.None, "POST", _ => $"/api/detections/{Text(4000)}/clutter", _ => J("{}"), HttpStatusCode.NotFound, null),
        ["detection id with an encoded line feed"] = new(Subject.None, "GET", _ => "/api/detections/trk-1-1%0A", _ => null, HttpStatusCode.NotFound, null),
        ["alert ack note over 1000"] = new(Subject.None, "POST", _ => "/api/alerts/sos-x-1/ack", _ => J($$"""{"note":"{{Text(1001)}}"}"""), HttpStatusCode.BadRequest, "note"),
        ["alert id of 4000 characters"] = new(Subject.None, "POST", _ => $"/api/alerts/{Text(4000)}/ack", _ => J("{}"), HttpStatusCode.NotFound, null),

        // Dispatch: the report's free text, coordinates, flags and ids; a request sent with its own id is not created.
        ["request description over 2000"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"{s.RequestId}\",\"description\":\"{Text(2001)}\"")), HttpStatusCode.BadRequest, "description", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request reporterName over 200"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"{s.RequestId}\",\"reporterName\":\"{Text(201)}\"")), HttpStatusCode.BadRequest, "reporterName", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request reporterPhone over 40"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"{s.RequestId}\",\"reporterPhone\":\"+855 {new string('1', 40)}\"")), HttpStatusCode.BadRequest, "reporterPhone", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request village over 100"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"{s.RequestId}\",\"village\":\"{Text(101)}\"")), HttpStatusCode.BadRequest, "village", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request photoRef over 500"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"{s.RequestId}\",\"photoRef\":\"{Text(501)}\"")), HttpStatusCode.BadRequest, "photoRef", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request by over 100"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"{s.RequestId}\",\"by\":\"{Text(101)}\"")), HttpStatusCode.BadRequest, "by", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request lat sent twice"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"{s.RequestId}\",\"lat\":11.0")), HttpStatusCode.BadRequest, "lat", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request lat too large to hold"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J($$"""{"id":"{{s.RequestId}}","lat":1e400,"lon":102.9954,"found":"uxo"}"""), HttpStatusCode.BadRequest, "lat", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request lat a string"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J($$"""{"id":"{{s.RequestId}}","lat":"13.37","lon":102.9954,"found":"uxo"}"""), HttpStatusCode.BadRequest, "lat", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request lon Infinity"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J($$"""{"id":"{{s.RequestId}}","lat":13.37,"lon":Infinity,"found":"uxo"}"""), HttpStatusCode.BadRequest, "body", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request nearPeople a string"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"{s.RequestId}\",\"nearPeople\":\"yes\"")), HttpStatusCode.BadRequest, "nearPeople", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request unit with a dotless i"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"{s.RequestId}\",\"unit\":\"du\u0131\"")), HttpStatusCode.BadRequest, "unit", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request id climbing a path"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"../{s.RequestId}\"")), HttpStatusCode.BadRequest, "id", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request id with a line feed"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"{s.RequestId}\\nx\"")), HttpStatusCode.BadRequest, "id", s => $"/api/dispatch/requests/{s.RequestId}"),
        ["request id of 65 characters"] = new(Subject.None, "POST", _ => "/api/dispatch/requests", s => J(RequestWith($"\"id\":\"{s.RequestId}{Text(65 - s.RequestId.Length)}\"")), HttpStatusCode.BadRequest, "id", s => $"/api/dispatch/requests/{s.RequestId}{Text(65 - s.RequestId.Length)}"),
        ["request assign teamId of 4000 characters"] = new(Subject.Request, "POST", s => $"/api/dispatch/requests/{s.RequestId}/assign", _ => J($$"""{"teamId":"{{Text(4000)}}"}"""), HttpStatusCode.BadRequest, "teamId"),
        ["request acknowledge teamId with a line feed"] = new(Subject.Request, "POST", s => $"/api/dispatch/requests/{s.RequestId}/acknowledge", s => J($$"""{"teamId":"{{s.AssetId}}\nx"}"""), HttpStatusCode.BadRequest, "teamId"),
        ["request cancel reason over 1000"] = new(Subject.Request, "POST", s => $"/api/dispatch/requests/{s.RequestId}/cancel", _ => J($$"""{"reason":"{{Text(1001)}}"}"""), HttpStatusCode.BadRequest, "reason"),
        ["request cancel reason a lone surrogate"] = new(Subject.Request, "POST", s => $"/api/dispatch/requests/{s.RequestId}/cancel", _ => J("""{"reason":"\udfff"}"""), HttpStatusCode.BadRequest, "reason"),
        ["request resolve items of 20 digits"] = new(Subject.Request, "POST", s => $"/api/dispatch/requests/{s.RequestId}/resolve", _ => J("""{"outcome":"destroyed","items":12345678901234567890}"""), HttpStatusCode.BadRequest, "items"),
        ["request resolve note over 1000"] = new(Subject.Request, "POST", s => $"/api/dispatch/requests/{s.RequestId}/resolve", _ => J($$"""{"outcome":"destroyed","items":1,"note":"{{Text(1001)}}"}"""), HttpStatusCode.BadRequest, "note"),
        ["request list province over 100 characters"] = new(Subject.None, "GET", _ => $"/api/dispatch/requests?province={Text(101)}", _ => null, HttpStatusCode.BadRequest, "province"),
        ["request list province with a control character"] = new(Subject.None, "GET", _ => "/api/dispatch/requests?province=Pailin%07", _ => null, HttpStatusCode.BadRequest, "province"),
        ["request list unit with a line feed"] = new(Subject.None, "GET", _ => "/api/dispatch/requests?unit=DU%0A5", _ => null, HttpStatusCode.BadRequest, "unit"),
        ["request id of 4000 characters"] = new(Subject.None, "GET", _ => $"/api/dispatch/requests/{Text(4000)}", _ => null, HttpStatusCode.NotFound, null),

        // Projects and reports.
        ["project name over 200"] = new(Subject.Project, "PUT", s => $"/api/projects/{s.ProjectId}", _ => J($$"""{"name":"{{Text(201)}}","units":["DU5"],"targetM2":1000,"start":"2026-01-01","end":"2026-12-31"}"""), HttpStatusCode.BadRequest, "name"),
        ["project donor over 200"] = new(Subject.Project, "PUT", s => $"/api/projects/{s.ProjectId}", _ => J(ProjectWith($"\"donor\":\"{Text(201)}\"")), HttpStatusCode.BadRequest, "donor"),
        ["project donor not text"] = new(Subject.Project, "PUT", s => $"/api/projects/{s.ProjectId}", _ => J(ProjectWith("\"donor\":{\"name\":\"JICA\"}")), HttpStatusCode.BadRequest, "donor"),
        ["project of 65 units"] = new(Subject.Project, "PUT", s => $"/api/projects/{s.ProjectId}", _ => J($$"""{"name":"P","units":[{{string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"DU{i}\""))}}],"targetM2":1000,"start":"2026-01-01","end":"2026-12-31"}"""), HttpStatusCode.BadRequest, "units"),
        ["project unit with a look-alike"] = new(Subject.Project, "PUT", s => $"/api/projects/{s.ProjectId}", _ => J("""{"name":"P","units":["\u017Fu5"],"targetM2":1000,"start":"2026-01-01","end":"2026-12-31"}"""), HttpStatusCode.BadRequest, "units"),
        ["project target too large to hold"] = new(Subject.Project, "PUT", s => $"/api/projects/{s.ProjectId}", _ => J(ProjectWith("\"targetM2\":1e400").Replace("\"targetM2\":100000,", "", StringComparison.Ordinal)), HttpStatusCode.BadRequest, "targetM2"),
        ["project target of 1e300"] = new(Subject.Project, "PUT", s => $"/api/projects/{s.ProjectId}", _ => J(ProjectWith("\"x\":0").Replace("100000", "1e300", StringComparison.Ordinal)), HttpStatusCode.BadRequest, "targetM2"),
        ["project start sent twice"] = new(Subject.Project, "PUT", s => $"/api/projects/{s.ProjectId}", _ => J(ProjectWith("\"start\":\"2025-01-01\"")), HttpStatusCode.BadRequest, "start"),
        ["daily report unit with a look-alike"] = new(Subject.None, "GET", _ => "/api/reports/daily?unit=%C5%BFu5", _ => null, HttpStatusCode.BadRequest, "unit"),
        ["daily report project of 4000 characters"] = new(Subject.None, "GET", _ => $"/api/reports/daily?project={Text(4000)}", _ => null, HttpStatusCode.BadRequest, "project"),
        ["track from not a time"] = new(Subject.Asset, "GET", s => $"/api/assets/{s.AssetId}/track?from={Text(2000)}", _ => null, HttpStatusCode.BadRequest, "from"),

        // People: users, keys, sign-in, the audit trail's filters.
        ["user displayName over 200"] = new(Subject.User, "PUT", s => $"/api/users/{s.UserName}", _ => J($$"""{"displayName":"{{Text(201)}}","roles":["viewer"]}"""), HttpStatusCode.BadRequest, "displayName"),
        ["user with 65 roles"] = new(Subject.User, "PUT", s => $"/api/users/{s.UserName}", _ => J($$"""{"displayName":"D","roles":[{{string.Join(",", Enumerable.Repeat("\"viewer\"", 65))}}]}"""), HttpStatusCode.BadRequest, "roles"),
        ["user roles sent twice"] = new(Subject.User, "PUT", s => $"/api/users/{s.UserName}", _ => J(UserWith("\"roles\":[\"admin\"]")), HttpStatusCode.BadRequest, "roles"),
        ["user password a number"] = new(Subject.User, "PUT", s => $"/api/users/{s.UserName}", _ => J(UserWith("\"password\":12345678901234567890")), HttpStatusCode.BadRequest, "password"),
        ["user name with an encoded line feed"] = new(Subject.None, "PUT", s => $"/api/users/{s.UserName}%0A", _ => J(UserWith("\"password\":\"correct horse battery\"")), HttpStatusCode.BadRequest, "username", s => $"/api/users/{s.UserName}%0A"),
        ["user name with a Kelvin sign"] = new(Subject.None, "PUT", s => $"/api/users/{Uri.EscapeDataString("\u212A" + s.UserName)}", _ => J(UserWith("\"password\":\"correct horse battery\"")), HttpStatusCode.BadRequest, "username", s => $"/api/users/k{s.UserName}"),
        ["user key name of 65 characters"] = new(Subject.User, "POST", s => $"/api/users/{s.UserName}/keys", _ => J($$"""{"name":"{{Text(65)}}"}"""), HttpStatusCode.BadRequest, "name"),
        ["user key name climbing a path"] = new(Subject.User, "POST", s => $"/api/users/{s.UserName}/keys", _ => J("""{"name":"../admin"}"""), HttpStatusCode.BadRequest, "name"),
        ["sign-in name over 100"] = new(Subject.None, "POST", _ => "/api/auth/token", _ => J($$"""{"username":"{{Text(101)}}","password":"whatever-it-is"}"""), HttpStatusCode.BadRequest, "username"),
        ["sign-in name sent twice"] = new(Subject.None, "POST", _ => "/api/auth/token", _ => J("""{"username":"nobody","username":"admin","password":"whatever-it-is"}"""), HttpStatusCode.BadRequest, "username"),
        ["sign-in password with NUL"] = new(Subject.None, "POST", _ => "/api/auth/token", _ => J("""{"username":"nobody","password":"pass\u0000word"}"""), HttpStatusCode.BadRequest, "password"),
        ["audit user over 200"] = new(Subject.None, "GET", _ => $"/api/audit?user={Text(201)}", _ => null, HttpStatusCode.BadRequest, "user"),
        ["audit target with a control character"] = new(Subject.None, "GET", _ => "/api/audit?target=asset%3Ax%1B", _ => null, HttpStatusCode.BadRequest, "target"),
        ["audit limit of 20 digits"] = new(Subject.None, "GET", _ => "/api/audit?limit=12345678901234567890", _ => null, HttpStatusCode.BadRequest, "limit"),
    };

    public static TheoryData<string> Cases() => [.. Corpus.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_request_gets_its_documented_answer_and_changes_nothing(string name)
    {
        var c = Corpus[name];
        var scene = Scene.New();
        await SetUpAsync(c.Subject, scene);
        var readPath = c.Read?.Invoke(scene) ?? PathOf(c.Subject, scene);
        var before = readPath is null ? null : await ReadAsync(readPath);
        var audited = await AuditRecordedAsync();

        using var response = await SendAsync(c.Method, c.Path(scene), c.Body(scene));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(c.Status == response.StatusCode, $"{name}: {(int)response.StatusCode} {text}");
        Assert.True(text.Length < 2000, $"{name}: an answer of {text.Length} characters echoes what it was sent");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        if (c.Field is { } field)
        {
            var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"{name}: errors name {string.Join(", ", errors.EnumerateObject().Select(e => e.Name))}, not {field}");
        }

        if (readPath is not null)
        {
            Assert.Equal(before, await ReadAsync(readPath));
        }

        Assert.Equal(audited, await AuditRecordedAsync());
        Assert.Equal(HttpStatusCode.OK, (await Silo.HealthAsync())?.Status);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.GetAsync("/api/assets?unit=DU5")).StatusCode);
    }

    [Fact]
    public async Task Text_at_its_limit_and_a_geometry_of_10000_vertices_are_accepted()
    {
        var s = Scene.New();
        await Expect(HttpStatusCode.OK, "PUT", $"/api/assets/{s.AssetId}", $$"""{"kind":"team","name":"{{Text(200)}}","unit":"DU5","capabilities":[{{string.Join(",", Enumerable.Range(0, 64).Select(i => $"\"c{i}\""))}}]}""");
        await Expect(HttpStatusCode.OK, "PUT", $"/api/devices/{s.DeviceId}", $$"""{"assetId":"{{s.AssetId}}","kind":"tracker","secret":"{{Text(256)}}"}""");
        await Expect(HttpStatusCode.OK, "PUT", s.AreaPath, Feature(Polygon(Circle(10_000)), $$"""{"type":"CHA","name":"{{Text(200)}}","province":"{{Text(100)}}"}"""));
        var view = await Silo.GetJsonAsync<JsonElement>(s.AreaPath);
        Assert.Equal(Text(200), view.GetProperty("name").GetString());
        await Expect(HttpStatusCode.Created, "POST", "/api/dispatch/requests", RequestWith(
            $"\"id\":\"{s.RequestId}\",\"description\":\"{Text(2000)}\",\"village\":\"{Text(100)}\",\"reporterName\":\"{Text(200)}\",\"photoRef\":\"{Text(500)}\",\"by\":\"{Text(100)}\",\"reporterPhone\":\"+855 {new string('1', 35)}\""));
        await Expect(HttpStatusCode.OK, "POST", $"/api/dispatch/requests/{s.RequestId}/cancel", $$"""{"reason":"{{Text(1000)}}"}""");
        await Expect(HttpStatusCode.OK, "PUT", $"/api/projects/{s.ProjectId}", $$"""{"name":"{{Text(200)}}","units":[{{string.Join(",", Enumerable.Range(0, 64).Select(i => $"\"DU{i}\""))}}],"targetM2":1e11,"start":"2026-01-01","end":"2026-12-31"}""");
        await Expect(HttpStatusCode.OK, "PUT", $"/api/users/{s.UserName}", $$"""{"displayName":"{{Text(200)}}","roles":["viewer"]}""");
        await Expect(HttpStatusCode.OK, "GET", $"/api/audit?user={Text(200)}", null);
    }

    [Fact]
    public async Task A_look_alike_user_name_does_not_sign_in_as_the_user_it_imitates()
    {
        var name = $"kate-{Guid.NewGuid().ToString("N")[..8]}";
        await Silo.CreateUserAsync(name, "viewer");
        Assert.Equal(HttpStatusCode.OK, (await Silo.SignInResponseAsync(name.ToUpperInvariant(), TestUsers.Password)).StatusCode);

        var kelvin = await Silo.SignInResponseAsync("\u212A" + name[1..], TestUsers.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, kelvin.StatusCode);
    }

    private async Task Expect(HttpStatusCode status, string method, string path, string? body)
    {
        using var response = await SendAsync(method, path, body is null ? null : J(body));
        Assert.True(status == response.StatusCode, $"{method} {path[..Math.Min(path.Length, 80)]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Creates what the case works on, with ordinary values.</summary>
    private async Task SetUpAsync(Subject subject, Scene s)
    {
        if (subject == Subject.None)
        {
            return;
        }

        await Expect(HttpStatusCode.OK, "PUT", $"/api/assets/{s.AssetId}", Asset);
        switch (subject)
        {
            case Subject.Device:
                await Expect(HttpStatusCode.OK, "PUT", $"/api/devices/{s.DeviceId}", $$"""{"assetId":"{{s.AssetId}}","kind":"tracker","secret":"the-first-secret"}""");
                break;
            case Subject.Area:
                await Expect(HttpStatusCode.OK, "PUT", s.AreaPath, Feature(Polygon(Square), """{"type":"CHA","name":"Samlot 1","province":"Battambang"}"""));
                break;
            case Subject.Request:
                await Expect(HttpStatusCode.Created, "POST", "/api/dispatch/requests", RequestWith($"\"id\":\"{s.RequestId}\",\"village\":\"Ou Chamlong\",\"unit\":\"DU5\""));
                break;
            case Subject.Project:
                await Expect(HttpStatusCode.OK, "PUT", $"/api/projects/{s.ProjectId}", ProjectWith("\"x\":0"));
                break;
            case Subject.User:
                await Expect(HttpStatusCode.OK, "PUT", $"/api/users/{s.UserName}", UserWith("\"password\":\"correct horse battery\""));
                break;
        }
    }

    private static string? PathOf(Subject subject, Scene s) => subject switch
    {
        Subject.Asset => $"/api/assets/{s.AssetId}",
        Subject.Device => $"/api/devices/{s.DeviceId}",
        Subject.Area => s.AreaPath,
        Subject.Request => $"/api/dispatch/requests/{s.RequestId}",
        Subject.Project => $"/api/projects/{s.ProjectId}",
        Subject.User => $"/api/users/{s.UserName}",
        _ => null,
    };

    /// <summary>The status and body of a GET, to compare before and after (a problem without its trace id).</summary>
    private async Task<string> ReadAsync(string path)
    {
        using var response = await SendAsync("GET", path, null);
        var body = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            var problem = JsonDocument.Parse(body).RootElement;
            body = $"{problem.GetProperty("title")} {(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : "")}";
        }

        return $"{(int)response.StatusCode} {body}";
    }

    private async Task<long> AuditRecordedAsync() =>
        (await Silo.GetJsonAsync<JsonElement>("/api/auth/stats")).GetProperty("auditRecorded").GetInt64();

    /// <summary>Sends the path exactly as written: no dot segments resolved, no escapes undone by the client.</summary>
    private async Task<HttpResponseMessage> SendAsync(string method, string path, byte[]? body)
    {
        var uri = new Uri(Silo.BaseAddress.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new("application/json");

            // A body the server refuses by its length is answered before it is read: with 100-continue the client waits
            // for that answer instead of racing it (writing into a connection the server has closed: a broken pipe).
            request.Headers.ExpectContinue = body.Length > 64 * 1024;
        }

        return await Silo.Http.SendAsync(request);
    }
}
