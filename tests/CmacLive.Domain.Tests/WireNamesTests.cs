using System.Text.Json;
using System.Text.Json.Serialization;
using CmacLive.Assets;
using CmacLive.HazardAreas;
using CmacLive.Tracking;

namespace CmacLive.Domain.Tests;

/// <summary>Every enum is named on the wire one way: what the JSON converter writes is what <see cref="WireNames"/> says.</summary>
public sealed class WireNamesTests
{
    private static readonly JsonSerializerOptions Wire = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) } };

    public static TheoryData<Type> Enums()
    {
        var data = new TheoryData<Type>();
        foreach (var type in new[] { typeof(AssetKind).Assembly, typeof(RejectReason).Assembly }
            .SelectMany(a => a.GetExportedTypes()).Where(t => t.IsEnum).Distinct().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Enums))]
    public void Each_member_is_named_as_the_json_converter_writes_it_and_read_back_from_that_name(Type type)
    {
        var of = typeof(WireNames).GetMethod(nameof(WireNames.Of))!.MakeGenericMethod(type);
        var choices = (System.Collections.IDictionary)typeof(WireNames).GetMethod(nameof(WireNames.Choices))!.MakeGenericMethod(type).Invoke(null, null)!;
        foreach (var value in Enum.GetValues(type))
        {
            var name = (string)of.Invoke(null, [value])!;
            Assert.Equal(JsonSerializer.Serialize(value, type, Wire), JsonSerializer.Serialize(name));
            Assert.Equal(value, choices[name]);
        }

        Assert.Equal(Enum.GetValues(type).Length, choices.Count);
    }

    [Fact]
    public void Names_with_more_than_one_word_are_the_contracts_and_a_number_outside_the_enum_is_refused()
    {
        Assert.Equal("in-clearance", WireNames.Of(HazardAreaStatus.InClearance));
        Assert.Equal("out-of-range", WireNames.Of(RejectReason.OutOfRange));
        Assert.Equal("sos", WireNames.Of(AssetState.Sos));
        Assert.True(WireNames.TryParse<AssetState>("working", out var working));
        Assert.Equal(AssetState.Working, working);
        Assert.False(WireNames.TryParse<AssetState>("Working", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => WireNames.Of((AssetState)99));
    }
}
