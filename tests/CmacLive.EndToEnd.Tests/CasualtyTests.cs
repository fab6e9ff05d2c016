using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// Casualty records (the CMVIS idea) against a real silo: stored and listed, counted by month and province against sums
/// worked out by hand, moved between years when their date changes, linked to a request or an area only when it exists,
/// masked for a viewer, and every field of a hostile body named.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class CasualtyTests(SiloFixture fixture)
{
    private TestSilo Silo => fixture.Silo;

    private static object Victim(string sex, string ageGroup, string outcome, string occupation = "farmer") =>
        new { sex, ageGroup, outcome, occupation };

    private static Dictionary<string, object?> Accident(string date, string province, params object[] victims) => new()
    {
        ["date"] = date,
        ["lat"] = 12.7712,
        ["lon"] = 102.8543,
        ["province"] = province,
        ["district"] = "Samlout",
        ["village"] = "Ta Taok",
        ["device"] = "mine",
        ["activity"] = "clearing land for farming",
        ["victims"] = victims,
    };

    private async Task PutAsync(string id, object body)
    {
        var answer = await Silo.PutJsonAsync($"/api/casualties/{id}", body);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{id}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Accidents_are_counted_by_month_and_province_as_by_hand_and_a_new_date_moves_a_record_to_its_year()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (battambang, pailin) = ($"Battambang-{tag}", $"Pailin-{tag}");

        // January: two accidents in Battambang (1 killed adult; 1 injured child + 1 injured adult), one in Pailin (2 killed).
        await PutAsync($"acc-{tag}-1", Accident("2025-01-05", battambang, Victim("male", "adult", "killed")));
        await PutAsync($"acc-{tag}-2", Accident("2025-01-28", battambang, Victim("male", "child", "injured", "student"), Victim("female", "adult", "injured")));
        await PutAsync($"acc-{tag}-3", Accident("2025-01-30", pailin, Victim("male", "adult", "killed"), Victim("male", "adult", "killed")));
        // March: one in Battambang, province written in other case (3 injured). April: one in Pailin (1 injured).
        await PutAsync($"acc-{tag}-4", Accident("2025-03-14", battambang.ToUpperInvariant(),
            Victim("female", "child", "injured", "student"), Victim("male", "child", "injured", "student"), Victim("male", "adult", "injured")));
        await PutAsync($"acc-{tag}-5", Accident("2025-04-02", pailin, Victim("female", "adult", "injured", "trader")));
        // May falls outside the period asked for.
        await PutAsync($"acc-{tag}-6", Accident("2025-05-01", pailin, Victim("female", "adult", "killed")));

        var period = "from=2025-01-01&to=2025-05-01";
        var all = await Silo.GetJsonAsync<JsonElement>($"/api/casualties/figures?{period}");
        var ours = all.EnumerateArray().Where(f => f.GetProperty("province").GetString()!.EndsWith(tag, StringComparison.OrdinalIgnoreCase))
            .Select(f => (f.GetProperty("month").GetString(), f.GetProperty("province").GetString(), f.GetProperty("accidents").GetInt32(),
                f.GetProperty("victims").GetInt32(), f.GetProperty("killed").GetInt32(), f.GetProperty("injured").GetInt32()))
            .ToList();
        Assert.Equal(
        [
            ("2025-01", battambang, 2, 3, 1, 2),
            ("2025-01", pailin, 1, 2, 2, 0),
            ("2025-03", battambang, 1, 3, 0, 3),
            ("2025-04", pailin, 1, 1, 0, 1),
        ], ours);

        var csv = await Silo.Http.GetStringAsync($"/api/casualties/figures?{period}&province={pailin}&format=csv");
        Assert.Equal($"month,province,accidents,victims,killed,injured\r\n2025-01,{pailin},1,2,2,0\r\n2025-04,{pailin},1,1,0,1\r\n", csv);

        var listed = await Silo.GetJsonAsync<JsonElement>($"/api/casualties?{period}&province={battambang}");
        Assert.Equal([$"acc-{tag}-4", $"acc-{tag}-2", $"acc-{tag}-1"], listed.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var first = listed[2];
        Assert.Equal(("2025-01-05", "mine", "Ta Taok"), (first.GetProperty("date").GetString(), first.GetProperty("device").GetString(), first.GetProperty("village").GetString()));
        Assert.Equal("farmer", first.GetProperty("victims")[0].GetProperty("occupation").GetString());

        // Re-dated to December 2024: gone from January's figures and list, found in 2024's.
        var moved = Accident("2024-12-20", battambang, Victim("male", "adult", "killed"));
        moved["device"] = "cluster-munition";
        await PutAsync($"acc-{tag}-1", moved);
        var january = (await Silo.GetJsonAsync<JsonElement>($"/api/casualties/figures?from=2025-01-01&to=2025-02-01&province={battambang}")).EnumerateArray().Single();
        Assert.Equal((1, 2, 0, 2), (january.GetProperty("accidents").GetInt32(), january.GetProperty("victims").GetInt32(), january.GetProperty("killed").GetInt32(), january.GetProperty("injured").GetInt32()));
        var december = await Silo.GetJsonAsync<JsonElement>($"/api/casualties?from=2024-12-01&to=2025-01-01&province={battambang}");
        Assert.Equal(("cluster-munition", "2024-12-20"), (december.EnumerateArray().Single().GetProperty("device").GetString(), december[0].GetProperty("date").GetString()));
    }

    [Fact]
    public async Task A_record_names_a_request_or_an_area_only_if_it_exists_and_a_viewer_sees_no_personal_details()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var filed = await Silo.Http.PostAsJsonAsync("/api/dispatch/requests", new { lat = 12.78, lon = 102.86, found = "mine" });
        var requestId = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var linked = Accident("2025-02-10", $"Battambang-{tag}", Victim("male", "adult", "injured", "deminer"));
        linked["requestId"] = requestId;
        await PutAsync($"acc-{tag}-req", linked);
        Assert.Equal(requestId, (await Silo.GetJsonAsync<JsonElement>($"/api/casualties/acc-{tag}-req")).GetProperty("requestId").GetString());

        linked["requestId"] = "REQ-20250210-NOSUCH";
        linked["hazardArea"] = $"BB/SML/{tag}";
        var refused = await Silo.PutJsonAsync($"/api/casualties/acc-{tag}-bad", linked);
        await AssertNamedAsync(refused, "requestId", "hazardArea");
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.GetAsync($"/api/casualties/acc-{tag}-bad")).StatusCode);

        // A viewer: no village, no occupation, no recorder, the place to about a kilometre; the figures as everyone's.
        await Silo.CreateUserAsync($"wall-{tag}", "viewer");
        using var viewer = Silo.ClientWith(await Silo.SignInAsync($"wall-{tag}"));
        var seen = await viewer.GetFromJsonAsync<JsonElement>($"/api/casualties/acc-{tag}-req");
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("village").ValueKind);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("victims")[0].GetProperty("occupation").ValueKind);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("recordedBy").ValueKind);
        Assert.Equal((12.77, 102.85), (seen.GetProperty("lat").GetDouble(), seen.GetProperty("lon").GetDouble()));
        Assert.Equal(("male", "adult", "injured"), (seen.GetProperty("victims")[0].GetProperty("sex").GetString(),
            seen.GetProperty("victims")[0].GetProperty("ageGroup").GetString(), seen.GetProperty("victims")[0].GetProperty("outcome").GetString()));
        var listed = await viewer.GetFromJsonAsync<JsonElement>($"/api/casualties?from=2025-02-01&to=2025-03-01&province=Battambang-{tag}");
        Assert.Equal(JsonValueKind.Null, listed[0].GetProperty("village").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync($"/api/casualties/acc-{tag}-wall", linked)).StatusCode);
    }

    [Theory]
    [InlineData("date", "2025-13-01")]
    [InlineData("date", "1975-04-17")]
    [InlineData("date", "2999-01-01")]
    [InlineData("date", null)]
    [InlineData("lat", 91)]
    [InlineData("lon", "east")]
    [InlineData("province", "")]
    [InlineData("district", null)]
    [InlineData("village", 7)]
    [InlineData("device", "bomb")]
    [InlineData("activity", "x…")]
    [InlineData("requestId", "no such/id")]
    [InlineData("hazardArea", "BB//0001")]
    public async Task Every_wrong_field_of_a_record_is_refused_with_its_name(string field, object? value)
    {
        var body = Accident("2025-01-05", "Battambang", Victim("male", "adult", "killed"));
        body[field] = value is "x…" ? new string('x', 101) : value;
        await AssertNamedAsync(await Silo.PutJsonAsync($"/api/casualties/acc-hostile-{field}", body), field);
    }

    [Fact]
    public async Task Wrong_victims_and_wrong_queries_are_refused_with_their_names()
    {
        var body = Accident("2025-01-05", "Battambang");
        await AssertNamedAsync(await Silo.PutJsonAsync("/api/casualties/acc-hostile-none", body), "victims");
        body["victims"] = Enumerable.Range(0, 65).Select(_ => Victim("male", "adult", "killed")).ToArray();
        await AssertNamedAsync(await Silo.PutJsonAsync("/api/casualties/acc-hostile-many", body), "victims");
        body["victims"] = new object[] { Victim("male", "adult", "killed"), new { sex = "other", ageGroup = "elder", outcome = "missing" }, 3 };
        await AssertNamedAsync(await Silo.PutJsonAsync("/api/casualties/acc-hostile-who", body),
            "victims[1].sex", "victims[1].ageGroup", "victims[1].outcome", "victims[1].occupation", "victims[2]");
        await AssertNamedAsync(await Silo.PutJsonAsync("/api/casualties/bad%20id", Accident("2025-01-05", "Battambang", Victim("male", "adult", "killed"))), "id");

        await AssertNamedAsync(await Silo.Http.GetAsync("/api/casualties/figures?format=xml"), "format");
        await AssertNamedAsync(await Silo.Http.GetAsync("/api/casualties/figures?from=last-year"), "from");
        await AssertNamedAsync(await Silo.Http.GetAsync($"/api/casualties?province={new string('p', 101)}"), "province");
        await AssertNamedAsync(await Silo.Http.GetAsync("/api/casualties?from=2025-02-01&to=2025-01-01"), "from");
    }

    private static async Task AssertNamedAsync(HttpResponseMessage answer, params string[] fields)
    {
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, $"{(int)answer.StatusCode} {text}");
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }
}
