using CmacLive.Assets;
using CmacLive.Dispatch;

namespace CmacLive.Domain.Tests;

/// <summary>The dispatch downlinks, byte for byte as a tracker reads them on <c>cmac/v1/{deviceId}/cmd</c>.</summary>
public sealed class DispatchCommandsTests
{
    // A time with sub-millisecond ticks, as the clock gives it: the wire carries exactly three digits.
    private static readonly DateTimeOffset Filed = new DateTimeOffset(2026, 12, 2, 0, 27, 45, TimeSpan.Zero).AddTicks(5_730_928);

    [Fact]
    public void An_assignment_carries_its_times_in_the_contracts_format_and_its_text_unescaped()
    {
        var state = new DispatchState();
        var flow = new DispatchFlow("REQ-20261202-0A1B2C3D4E", state, new DispatchRules());
        flow.File(new DispatchReport
        {
            Lat = 13.3633,
            Lon = 102.9876,
            Found = FoundItem.Uxo,
            Village = "ភូមិអូរ",
            Description = "mortar \"60 mm\" by the well",
            ReporterPhone = "+855 12 345 678",
            Unit = "DU5",
        }, "dispatcher", Filed);
        flow.Assign(new DispatchClaim
        {
            Status = new AssetStatus { Id = "T1", Kind = AssetKind.Team, Name = "T1", Unit = "DU5", Online = true },
        }, "dispatcher", Filed.AddMinutes(1).AddTicks(-5_730_928));

        Assert.Equal(
            """{"type":"assignment","requestId":"REQ-20261202-0A1B2C3D4E","lat":13.3633,"lon":102.9876,"priority":"routine","found":"uxo","village":"ភូមិអូរ","description":"mortar \"60 mm\" by the well","reporterPhone":"+855 12 345 678","onSiteDue":"2026-12-05T00:27:45.573Z","assignedAt":"2026-12-02T00:28:45Z"}""",
            DispatchCommands.Assignment(flow.ToView()));
    }

    [Fact]
    public void A_cancellation_names_the_request_and_the_reason()
    {
        Assert.Equal(
            """{"type":"cancelled","requestId":"REQ-1","reason":"given to <T2> & its devices"}""",
            DispatchCommands.Cancelled("REQ-1", "given to <T2> & its devices"));
    }
}
