using CmacLive.Assets;
using Microsoft.Extensions.Configuration;

namespace CmacLive.Grains.Tests;

public sealed class TrackingOptionsTests
{
    private static TrackingOptions Read(params (string Key, string Value)[] settings)
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build()
            .GetSection(TrackingOptions.Section);
        var options = section.Get<TrackingOptions>() ?? new TrackingOptions();
        options.ReadKindTimeouts(section);
        return options;
    }

    [Fact]
    public void Each_kind_takes_its_own_timeout_and_the_others_the_common_one()
    {
        var options = Read(("Tracking:OfflineTimeout", "00:03:00"), ("Tracking:OfflineTimeout:dog", "00:10:00"), ("Tracking:OfflineTimeout:Rat", "00:00:30"));
        Assert.Equal(TimeSpan.FromMinutes(3), options.OfflineTimeoutOf(AssetKind.Team));
        Assert.Equal(TimeSpan.FromMinutes(3), options.OfflineTimeoutOf(AssetKind.Machine));
        Assert.Equal(TimeSpan.FromMinutes(10), options.OfflineTimeoutOf(AssetKind.Dog));
        Assert.Equal(TimeSpan.FromSeconds(30), options.OfflineTimeoutOf(AssetKind.Rat));
        Assert.Equal(TimeSpan.FromSeconds(10), options.LivenessCheckPeriodOf(AssetKind.Dog));
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.LivenessCheckPeriodOf(AssetKind.Rat));
        Assert.Equal(TimeSpan.FromMinutes(2), Read().OfflineTimeoutOf(AssetKind.Dog));
    }

    [Theory]
    [InlineData("Tracking:OfflineTimeout:Cat", "00:05:00", "no such asset kind")]
    [InlineData("Tracking:OfflineTimeout:2", "00:05:00", "no such asset kind")]
    [InlineData("Tracking:OfflineTimeout:Dog", "five minutes", "not a positive time span")]
    [InlineData("Tracking:OfflineTimeout:Dog", "-00:05:00", "not a positive time span")]
    [InlineData("Tracking:OfflineTimeout:Dog", "00:00:00", "not a positive time span")]
    public void A_wrong_kind_or_time_stops_the_silo_naming_the_key(string key, string value, string said)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Read((key, value)));
        Assert.StartsWith(key, refused.Message, StringComparison.Ordinal);
        Assert.Contains(said, refused.Message, StringComparison.Ordinal);
    }
}
