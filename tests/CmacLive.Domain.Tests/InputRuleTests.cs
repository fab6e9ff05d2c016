using System.Text;
using System.Text.Json;
using CmacLive.Devices;
using CmacLive.Geo;
using CmacLive.Validation;
using NetTopologySuite.Geometries;

namespace CmacLive.Domain.Tests;

public sealed class InputRuleTests
{
    private static JsonBodyCheck.Problem? Check(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonBodyCheck.Find(document.RootElement);
    }

    private static JsonBodyCheck.Problem? Check(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        return JsonBodyCheck.Find(document.RootElement);
    }

    [Theory]
    [InlineData("""{"name":"EOD team 1","note":"line one\nline two\ttabbed","units":["DU5"],"n":1.5e300}""")]
    [InlineData("""{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}""")]
    [InlineData("""{"name":"Ou Chamlong ភូមិ 🚩"}""")]
    public void A_clean_body_has_no_problem(string json) => Assert.Null(Check(json));

    [Theory]
    [InlineData("""{"lat":1,"lat":2}""", "lat", "is sent more than once")]
    [InlineData("""{"lat":1,"l\u0061t":2}""", "lat", "is sent more than once")]
    [InlineData("""{"properties":{"type":"CHA","name":"a","name":"b"}}""", "properties.name", "is sent more than once")]
    [InlineData("""{"geometry":{"type":"Polygon","coordinates":[],"coordinates":[]}}""", "geometry.coordinates", "is sent more than once")]
    [InlineData("""{"victims":[{"sex":"male"},{"sex":"male","sex":"female"}]}""", "victims[1].sex", "is sent more than once")]
    [InlineData("""{"note":"\u0000"}""", "note", "must not contain control characters")]
    [InlineData("""{"name":"a\u001bb"}""", "name", "must not contain control characters")]
    [InlineData("""{"units":["DU5","D\u0007U"]}""", "units[1]", "must not contain control characters")]
    [InlineData("""{"name":"\ud800"}""", "name", "is not valid Unicode text")]
    [InlineData("""{"x":{"\udc00":1}}""", "x", "has a member name that is not valid Unicode text")]
    [InlineData("""{"lat":1e400}""", "lat", "is a number too large to hold")]
    [InlineData("""{"outcome":{"clearedM2":-1e999}}""", "outcome.clearedM2", "is a number too large to hold")]
    public void A_hostile_body_is_refused_naming_the_member(string json, string path, string message) =>
        Assert.Equal(new JsonBodyCheck.Problem(path, message), Check(json));

    [Fact]
    public void Text_that_is_not_utf_8_is_refused_naming_the_member()
    {
        byte[] json = [.. "{\"name\":\""u8, 0xFF, 0xFE, .. "\"}"u8];
        Assert.Equal(new JsonBodyCheck.Problem("name", "is not valid Unicode text"), Check(json));
    }

    [Theory]
    [InlineData("trk-0001", true)]
    [InlineData("DU5-EOD-01", true)]
    [InlineData("a.b_c", true)]
    [InlineData("trk-0001\n", false)]
    [InlineData("..", false)]
    [InlineData(".", false)]
    [InlineData("a/b", false)]
    [InlineData("a%2Fb", false)]
    [InlineData("trk\u0000", false)]
    [InlineData("trk-\u0430", false)] // Cyrillic a
    [InlineData("", false)]
    public void Ids_are_ascii_letters_digits_dots_dashes_and_underscores_and_never_only_dots(string id, bool valid) =>
        Assert.Equal(valid, DeviceIds.IsValid(id));

    [Fact]
    public void Ids_are_at_most_64_characters_and_compound_ids_at_most_their_limit()
    {
        Assert.True(DeviceIds.IsValid(new string('a', InputLimits.Id)));
        Assert.False(DeviceIds.IsValid(new string('a', InputLimits.Id + 1)));
        Assert.True(DeviceIds.IsValidCompound($"{new string('a', 64)}-1778555045000", InputLimits.DetectionId));
        Assert.False(DeviceIds.IsValidCompound(new string('a', InputLimits.DetectionId + 1), InputLimits.DetectionId));
        Assert.False(DeviceIds.IsValidCompound("trk-1\n", InputLimits.DetectionId));
        Assert.False(DeviceIds.IsValidCompound("..", InputLimits.DetectionId));
    }

    [Fact]
    public void A_polygon_of_more_vertices_than_the_limit_is_refused_and_one_at_the_limit_is_not()
    {
        static Polygon Circle(int vertices)
        {
            var ring = Enumerable.Range(0, vertices - 1)
                .Select(i => new Coordinate(102.9 + 0.01 * Math.Cos(2 * Math.PI * i / (vertices - 1)), 13.3 + 0.01 * Math.Sin(2 * Math.PI * i / (vertices - 1))))
                .ToList();
            ring.Add(ring[0]);
            return HazardAreaGeometry.Factory.CreatePolygon([.. ring]);
        }

        Assert.Null(HazardAreaGeometry.Problem(Circle(InputLimits.Vertices)));
        Assert.Contains($"at most {InputLimits.Vertices}", HazardAreaGeometry.Problem(Circle(InputLimits.Vertices + 1)), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_limits_are_worded_the_same_everywhere() =>
        Assert.Equal("must be at most 200 characters", InputLimits.AtMost(InputLimits.Name));
}
