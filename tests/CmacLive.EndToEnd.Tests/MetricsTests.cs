using System.Net;
using System.Net.Http.Json;
using Microsoft.Net.Http.Headers;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// Monitoring against silo processes of their own (so no other test's uplinks move their counters): the Prometheus text at
/// <c>/metrics</c> read by a strict parser while real uplinks, a refused one and a dashboard come and go; the uplink's trace
/// sent over OTLP/HTTP to a receiver in the test; and who may scrape and who may open the Orleans Dashboard.
/// </summary>
public sealed class MetricsTests
{
    private const string Uplinks = "cmaclive_uplinks_total";

    [Fact]
    public async Task Metrics_scraped_as_prometheus_text_move_by_exactly_the_uplinks_sent_and_the_dashboards_connected()
    {
        await using var silo = await StartAsync("metrics");
        await using var field = await TrackedAsset.StartAsync(silo);
        await field.Tracker.PublishFixAsync(13.36, 102.98, DateTimeOffset.UtcNow.AddSeconds(-60)); // the asset is active and its history written
        await field.UpdateAsync();
        var before = await ScrapeUntilAsync(silo, m => m.Has(Uplinks) && m.Has("cmaclive_history_batch_size_bucket"));

        var now = DateTimeOffset.UtcNow.AddSeconds(-30);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await field.Tracker.PublishFixAsync(13.36 + i * 0.001, 102.98, now.AddSeconds(i))).IsSuccess);
        }

        var refused = await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/position", """{"ts":"2026-01-01T00:00:00Z","lat":95.0,"lon":102.9}""");
        Assert.False(refused.IsSuccess);

        (string, string) Applied = ("reason", "applied"), OutOfRange = ("reason", "out-of-range");
        var after = await ScrapeUntilAsync(silo, m => m.Sum(Uplinks, ("outcome", "accepted"), Applied) - before.Sum(Uplinks, ("outcome", "accepted"), Applied) >= 3
            && m.Sum(Uplinks, ("outcome", "rejected"), OutOfRange) - before.Sum(Uplinks, ("outcome", "rejected"), OutOfRange) >= 1);
        Assert.Equal(3, after.Sum(Uplinks, ("outcome", "accepted"), Applied) - before.Sum(Uplinks, ("outcome", "accepted"), Applied));
        Assert.Equal(1, after.Sum(Uplinks, ("outcome", "rejected"), OutOfRange) - before.Sum(Uplinks, ("outcome", "rejected"), OutOfRange));
        Assert.Equal(0, after.Sum(Uplinks, ("outcome", "rejected")) - before.Sum(Uplinks, ("outcome", "rejected")) - 1);
        Assert.Equal("counter", after.Types[Uplinks]);
        Assert.False(string.IsNullOrEmpty(after.Help[Uplinks]));

        // The history wrote those fixes in batches; the device is connected; grains are active; Orleans' own meters are there.
        Assert.True(after.Sum("cmaclive_history_batch_size_count") >= before.Sum("cmaclive_history_batch_size_count") + 1);
        Assert.Equal("histogram", after.Types["cmaclive_history_batch_duration_seconds"]);
        Assert.Equal(1, after.Sum("cmaclive_devices_connected"));
        Assert.True(after.Sum("cmaclive_grain_activations") > 0);
        Assert.Contains(after.Samples, s => s.Name == "cmaclive_grain_activations" && s.Labels.ContainsKey("type"));
        Assert.True(after.Sum("orleans_catalog_activations") > 0, string.Join(' ', after.Types.Keys.Where(k => k.StartsWith("orleans", StringComparison.Ordinal))));
        Assert.Contains(after.Types.Keys, k => k.StartsWith("kestrel_", StringComparison.Ordinal));
        Assert.Contains(after.Types.Keys, k => k.StartsWith("dotnet_", StringComparison.Ordinal));
        Assert.Equal(0, after.Sum("cmaclive_alerts_open", ("severity", "critical")));

        // One more dashboard: the hub's gauge moves by one, and back when it leaves.
        var hubs = after.Sum("cmaclive_hub_connections");
        var dashboard = await HubProbe.ConnectAsync(silo);
        await ScrapeUntilAsync(silo, m => m.Sum("cmaclive_hub_connections") == hubs + 1);
        // Its situation (every unit) is counted and pushed to it within a second.
        await ScrapeUntilAsync(silo, m => m.Sum("cmaclive_situation_pushed_total") >= 1 && m.Sum("cmaclive_situation_counted_total") >= 1);
        await dashboard.DisposeAsync();
        await ScrapeUntilAsync(silo, m => m.Sum("cmaclive_hub_connections") == hubs);

        // The device leaves: no device connected.
        await field.Tracker.DisposeAsync();
        await ScrapeUntilAsync(silo, m => m.Sum("cmaclive_devices_connected") == 0);
    }

    [Fact]
    public async Task Scraping_needs_a_credential_of_any_role_and_the_orleans_dashboard_admits_admins_only()
    {
        await using var silo = await StartAsync("metrics-auth", settings: ["--Monitoring:OrleansDashboard=true"]);
        await silo.CreateUserAsync("scraper", "viewer");
        await silo.CreateUserAsync("operator-1", "operator");
        await silo.CreateUserAsync("nobody-1");
        var viewerKey = await ApiKeyAsync(silo, "scraper");
        var operatorToken = await silo.SignInAsync("operator-1");

        // No credential, a wrong one, a user with no role: refused; a viewer's API key, as Prometheus sends it: the text.
        using (var anonymous = silo.ClientWith(null))
        {
            var refused = await anonymous.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/orleans/ClusterStats")).StatusCode);
        }

        using (var wrong = silo.ClientWith("cmk_0123456789abcdef_not-the-secret"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/metrics")).StatusCode);
        }

        using (var noRole = silo.ClientWith(await silo.SignInAsync("nobody-1")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await noRole.GetAsync("/metrics")).StatusCode);
        }

        using (var scraper = silo.ClientWith(viewerKey))
        {
            var scrape = await scraper.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);
            Assert.True(PrometheusText.Parse(await scrape.Content.ReadAsStringAsync()).Types.Count > 10);

            // The Orleans Dashboard: not for a viewer, nor an operator, with the header or the cookie.
            Assert.Equal(HttpStatusCode.Forbidden, (await scraper.GetAsync("/orleans/ClusterStats")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await scraper.PostAsync("/api/monitoring/orleans-session", null)).StatusCode);
        }

        using (var operatorClient = silo.ClientWith(operatorToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync("/orleans/ClusterStats")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.PostAsync("/api/monitoring/orleans-session", null)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await CookieOnlyAsync(silo, "/orleans/ClusterStats", operatorToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CookieOnlyAsync(silo, "/orleans/ClusterStats", "not-a-token")).StatusCode);

        // An admin: with the header, and through the cookie the session route sets, which only /orleans reads.
        await silo.CreateUserAsync("admin-1", "admin");
        using var admin = silo.ClientWith(await silo.SignInAsync("admin-1"));
        var stats = await admin.GetAsync("/orleans/ClusterStats");
        Assert.True(stats.StatusCode == HttpStatusCode.OK, $"{(int)stats.StatusCode} {await stats.Content.ReadAsStringAsync()}\n{silo.Output}");
        var session = await admin.PostAsync("/api/monitoring/orleans-session", null);
        Assert.Equal(HttpStatusCode.NoContent, session.StatusCode);
        var cookie = SetCookieHeaderValue.Parse(session.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal("/orleans", cookie.Path.ToString());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, cookie.SameSite);
        var page = await CookieOnlyAsync(silo, "/orleans/", cookie.Value.ToString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await CookieOnlyAsync(silo, "/orleans/ClusterStats", cookie.Value.ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CookieOnlyAsync(silo, "/api/me", cookie.Value.ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CookieOnlyAsync(silo, "/metrics", cookie.Value.ToString())).StatusCode);
    }

    [Fact]
    public async Task An_address_that_keeps_scraping_with_bad_keys_is_held_back_while_a_valid_key_still_scrapes()
    {
        await using var silo = await StartAsync("metrics-guess", settings: ["--Auth:FailuresPerAddress=3", "--Monitoring:OrleansDashboard=true"]);
        await silo.CreateUserAsync("scraper", "viewer");
        var key = await ApiKeyAsync(silo, "scraper");
        using var guesser = silo.ClientWith("cmk_0123456789abcdef_guess");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/metrics")).StatusCode);
        }

        var held = await guesser.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
        Assert.NotNull(held.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync("/orleans/ClusterStats")).StatusCode);
        using var scraper = silo.ClientWith(key);
        Assert.Equal(HttpStatusCode.OK, (await scraper.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Without_the_orleans_dashboard_setting_its_routes_do_not_exist_and_metrics_can_be_turned_off()
    {
        await using var silo = await StartAsync("metrics-off", settings: ["--Monitoring:Metrics=false"]);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync("/orleans/ClusterStats")).StatusCode);
        Assert.Contains((await silo.Http.PostAsync("/api/monitoring/orleans-session", null)).StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
    }

    [Fact]
    public async Task An_uplink_is_one_trace_from_the_broker_through_the_grain_call_and_its_history_write_to_the_hub_over_otlp()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var silo = await StartAsync("otlp", environment: new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });
        await using var field = await TrackedAsset.StartAsync(silo);
        Assert.True((await field.Tracker.PublishFixAsync(13.36, 102.98, DateTimeOffset.UtcNow.AddSeconds(-5))).IsSuccess);
        await field.UpdateAsync();

        OtlpSpan? uplink = null;
        List<OtlpSpan> trace = [];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            uplink = receiver.Spans.FirstOrDefault(s => s.Name == "cmaclive.uplink" && s.Attributes.GetValueOrDefault("cmaclive.device.id") == field.DeviceId);
            trace = uplink is null ? [] : [.. receiver.Spans.Where(s => s.TraceId == uplink.TraceId)];
            if (trace.Any(s => s.Name == "cmaclive.hub.push") && trace.Any(s => s.Name == "cmaclive.history.append"))
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.True(uplink is not null, $"no uplink span; spans: {string.Join(", ", receiver.Spans.Select(s => s.Name).Distinct())}");
        var names = string.Join(", ", trace.Select(s => $"{s.Name} ({s.Scope})"));
        Assert.Equal("CmacLive", uplink.Scope);
        Assert.Equal("", uplink.ParentSpanId);
        Assert.Equal("accepted", uplink.Attributes["cmaclive.outcome"]);
        Assert.Equal($"cmac/v1/{field.DeviceId}/position", uplink.Attributes["messaging.destination.name"]);

        // Orleans' spans of the grain call hang from the uplink; the history write and the hub hand-over from the grain's.
        var grainCall = trace.FirstOrDefault(s => s.Scope == "Microsoft.Orleans.Application" && s.ParentSpanId == uplink.SpanId);
        Assert.True(grainCall is not null, names);
        // The fix's own history write (an uplink may also store events beside it, such as the asset coming online).
        var history = trace.Single(s => s.Name == "cmaclive.history.append" && s.Attributes.GetValueOrDefault("cmaclive.history.kind") == "fix");
        var hub = trace.Single(s => s.Name == "cmaclive.hub.push");
        Assert.Equal(field.AssetId, hub.Attributes["cmaclive.asset.id"]);
        Assert.All(trace.Where(s => s.Name == "cmaclive.history.append").Append(hub), s => Assert.True(Ancestors(trace, s).Contains(uplink.SpanId), names));

        // Metrics go the same way.
        var metricsBy = DateTime.UtcNow.AddSeconds(10);
        while (!receiver.MetricNames.Contains("cmaclive.uplinks") && DateTime.UtcNow < metricsBy)
        {
            await Task.Delay(200);
        }

        Assert.Contains("cmaclive.uplinks", receiver.MetricNames);
        Assert.Contains(receiver.MetricNames, n => n.StartsWith("orleans-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_otlp_protocol_the_exporter_does_not_speak_stops_the_silo_at_start_saying_so()
    {
        await using var silo = SiloProcess.Launch("bad-otlp", OwnData(), environment: new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/json",
        });
        await silo.WaitForOutputAsync("OTEL_EXPORTER_OTLP_PROTOCOL 'http/json' is not supported", TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!silo.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(silo.HasExited, silo.Output);
    }

    [Fact]
    public void The_parser_reads_escaped_label_values_and_refuses_what_the_format_does_not_allow()
    {
        var parsed = PrometheusText.Parse("# HELP a_total A \\\\ counter\n# TYPE a_total counter\na_total{path=\"C:\\\\x\",q=\"say \\\"hi\\\"\",n=\"1\\n2\"} 3 1700000000000\n");
        var sample = Assert.Single(parsed.Samples);
        Assert.Equal("C:\\x", sample.Labels["path"]);
        Assert.Equal("say \"hi\"", sample.Labels["q"]);
        Assert.Equal("1\n2", sample.Labels["n"]);
        Assert.Throws<FormatException>(() => PrometheusText.Parse("b 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE b gauge\nb{x=\"\\t\"} 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE b gauge\nb{x=1} 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE b gauge\nb one\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n"));
    }

    /// <summary>The span ids above <paramref name="span"/> in its trace, nearest first.</summary>
    private static List<string> Ancestors(List<OtlpSpan> trace, OtlpSpan span)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        var above = new List<string>();
        for (var parent = span.ParentSpanId; parent != "" && above.Count < 100; parent = byId.TryGetValue(parent, out var next) ? next.ParentSpanId : "")
        {
            above.Add(parent);
        }

        return above;
    }

    /// <summary>A silo process with a data folder of its own, so its counters start from what this test does.</summary>
    private static Task<SiloProcess> StartAsync(string name, string[]? settings = null, IReadOnlyDictionary<string, string>? environment = null) =>
        SiloProcess.StartAsync(name, [.. OwnData(), .. settings ?? []], environment: environment);

    private static string[] OwnData() => [$"--Storage:ConnectionString=Data Source={Path.Combine(TestSilo.NewDataFolder(), "cmaclive.db")}"];

    private static async Task<PrometheusText> ScrapeUntilAsync(SiloProcess silo, Func<PrometheusText, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        PrometheusText last;
        do
        {
            var response = await silo.Http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            last = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
            if (done(last))
            {
                return last;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException("the metrics did not get there; last scrape:\n" + string.Join('\n', last.Samples.Where(s => s.Name.StartsWith("cmaclive", StringComparison.Ordinal))
            .Select(s => $"{s.Name}{{{string.Join(',', s.Labels.Select(l => $"{l.Key}={l.Value}"))}}} {s.Value}")));
    }

    private static async Task<string> ApiKeyAsync(SiloProcess silo, string user)
    {
        var response = await silo.Http.PostAsJsonAsync($"/api/users/{user}/keys", new { name = "prometheus" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>A request that carries the credential only as the Orleans Dashboard's cookie, as the admin's browser sends it.</summary>
    private static async Task<HttpResponseMessage> CookieOnlyAsync(SiloProcess silo, string path, string credential)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = silo.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"cmaclive-orleans={credential}");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
