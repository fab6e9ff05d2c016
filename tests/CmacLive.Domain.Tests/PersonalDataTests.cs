using CmacLive.Dispatch;

namespace CmacLive.Domain.Tests;

public sealed class PersonalDataTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("+855 12 345 678", "+855 ** *** *78")]
    [InlineData("+855-12-345-678", "+855-**-***-*78")]
    [InlineData("+1 (555) 010-2399", "+1 (***) ***-**99")]
    [InlineData("012 345 678", "*** *** *78")]
    [InlineData("012345678", "*******78")]
    [InlineData("(+855) 12 345 678", "(+***) ** *** *78")]
    public void A_phone_keeps_its_country_code_separators_and_last_two_digits(string phone, string expected) =>
        Assert.Equal(expected, PersonalData.MaskPhone(phone));

    [Fact]
    public void A_country_code_not_set_off_by_a_separator_is_masked_with_the_rest() =>
        Assert.Equal("+*********78", PersonalData.MaskPhone("+85512345678"));

    [Theory]
    [InlineData("1234", "****")]
    [InlineData("+855 1234", "+855 ****")]
    [InlineData("+855", "+***")]
    public void A_phone_too_short_to_keep_two_digits_keeps_none(string phone, string expected) =>
        Assert.Equal(expected, PersonalData.MaskPhone(phone));

    [Theory]
    [InlineData("Sok Dara", "S** D***")]
    [InlineData("Chea", "C***")]
    [InlineData("  Sok   Dara ", "  S**   D*** ")]
    [InlineData("Jean-Luc O'Neil", "J***-L** O'N***")]
    [InlineData("Ms. Sok", "M*. S**")]
    [InlineData("S", "S")]
    public void A_name_keeps_the_first_letter_of_each_word(string name, string expected) =>
        Assert.Equal(expected, PersonalData.MaskName(name));

    [Fact]
    public void A_khmer_name_keeps_its_first_letter_with_its_signs_and_masks_each_further_letter()
    {
        // សុខ ដារា (Sok Dara): "សុ" is one letter with its vowel sign, "ខ" another; "ដា", "រា" likewise.
        Assert.Equal("សុ* ដា*", PersonalData.MaskName("សុខ ដារា"));
    }

    [Fact]
    public void Null_and_empty_stay_as_they_are()
    {
        Assert.Null(PersonalData.MaskPhone(null));
        Assert.Null(PersonalData.MaskName(null));
        Assert.Equal("", PersonalData.MaskPhone(""));
        Assert.Equal("", PersonalData.MaskName(""));
    }

    [Fact]
    public void A_request_is_masked_in_its_report_only()
    {
        var view = View(new DispatchReport { Lat = 13, Lon = 103, Found = FoundItem.Uxo, Village = "Ou Chamlong", ReporterName = "Sok Dara", ReporterPhone = "+855 12 345 678" });

        var masked = PersonalData.Masked(view);

        Assert.Equal("S** D***", masked.Report.ReporterName);
        Assert.Equal("+855 ** *** *78", masked.Report.ReporterPhone);
        Assert.Equal(view with { Report = view.Report with { ReporterName = "S** D***", ReporterPhone = "+855 ** *** *78" } }, masked);
        Assert.Equal("Sok Dara", view.Report.ReporterName); // the original is untouched
    }

    [Fact]
    public void A_request_that_names_no_reporter_is_answered_as_it_is()
    {
        var view = View(new DispatchReport { Lat = 13, Lon = 103, Found = FoundItem.Uxo });

        Assert.Same(view, PersonalData.Masked(view));
    }

    [Fact]
    public void A_request_closed_keeps_its_reporter_until_the_retention_has_run_then_loses_it_for_good()
    {
        var report = new DispatchReport { Lat = 13, Lon = 103, Found = FoundItem.Uxo, ReporterName = "Sok Dara", ReporterPhone = "+855 12 345 678" };
        var state = new DispatchState();
        var flow = new DispatchFlow("REQ-1", state, new DispatchRules { PersonalDataRetention = TimeSpan.FromDays(180) });
        flow.File(report, "dispatcher", T0);
        Assert.Null(flow.PersonalDataDue);
        Assert.False(flow.ErasePersonalData(T0.AddDays(400))); // open: never

        flow.Cancel("a duplicate", "dispatcher", T0.AddHours(1));
        Assert.Equal(T0.AddHours(1).AddDays(180), flow.PersonalDataDue);
        Assert.False(flow.ErasePersonalData(T0.AddHours(1).AddDays(180).AddTicks(-1)));
        Assert.Equal("Sok Dara", flow.ToView().Report.ReporterName);

        Assert.True(flow.ErasePersonalData(T0.AddHours(1).AddDays(180)));
        var view = flow.ToView();
        Assert.Null(view.Report.ReporterName);
        Assert.Null(view.Report.ReporterPhone);
        Assert.Equal(T0.AddHours(1).AddDays(180), view.PersonalDataErasedAt);
        Assert.Null(flow.PersonalDataDue);
        Assert.False(flow.ErasePersonalData(T0.AddDays(500))); // once only

        // The integration sending the same report again is still answered with the request, not a conflict.
        Assert.True(flow.IsSameReport(report));
        Assert.False(flow.IsSameReport(report with { Village = "elsewhere" }));
    }

    [Fact]
    public void A_request_that_named_no_reporter_has_nothing_to_erase()
    {
        var flow = new DispatchFlow("REQ-2", new DispatchState(), new DispatchRules());
        flow.File(new DispatchReport { Lat = 13, Lon = 103, Found = FoundItem.Uxo }, "dispatcher", T0);
        flow.Cancel(null, "dispatcher", T0);

        Assert.Null(flow.PersonalDataDue);
        Assert.False(flow.ErasePersonalData(T0.AddDays(400)));
        Assert.Null(flow.ToView().PersonalDataErasedAt);
    }

    private static DispatchRequestView View(DispatchReport report) => new()
    {
        Id = "REQ-1",
        Status = DispatchStatus.Triaged,
        Priority = DispatchPriority.High,
        Report = report,
        ReceivedAt = T0,
        OnSiteDue = T0.AddHours(12),
    };
}
