using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CmacLive.Api.Apis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CmacLive.Benchmarks;

/// <summary>
/// What authorisation costs on the hot REST reads: <c>GET /api/assets?unit=</c> and <c>GET /api/assets/{id}</c> with a
/// signed-in user's token, an API key and the break-glass token, against the very same handlers mapped without
/// authentication (<c>/bench/…</c>, this benchmark's own), measured in interleaved rounds in one run.
/// </summary>
public static class AuthBenchmark
{
    private const int Rounds = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var assets = Benchmarks.Option(args, "--assets", 200);
        var requests = Benchmarks.Option(args, "--requests", 4000);
        await using var silo = await BenchSilo.StartAsync("auth", app =>
        {
            app.MapGet("/bench/assets", (string? unit, IGrainFactory grains, CancellationToken ct) => AssetsApi.ListAssets(unit, grains, ct)).AllowAnonymous();
            app.MapGet("/bench/assets/{id}", (string id, IGrainFactory grains) => AssetsApi.GetAsset(id, grains)).AllowAnonymous();
        });

        for (var i = 0; i < assets; i++)
        {
            var put = await silo.Http.PutAsJsonAsync($"/api/assets/DU5-B-{i:0000}", new { kind = "team", name = $"Team {i}", unit = "DU5" });
            put.EnsureSuccessStatusCode();
        }

        var put2 = await silo.Http.PutAsJsonAsync("/api/users/bench-officer", new { displayName = "Bench", roles = new[] { "operator" }, password = "benchmark passphrase" });
        put2.EnsureSuccessStatusCode();
        var signIn = await silo.Http.PostAsJsonAsync("/api/auth/token", new { username = "bench-officer", password = "benchmark passphrase" });
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        var keyAnswer = await silo.Http.PostAsJsonAsync("/api/users/bench-officer/keys", new { name = "bench" });
        var key = (await keyAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        var variants = new (string Name, string Prefix, string? Credential)[]
        {
            ("no authentication (same handler)", "/bench", null),
            ("user token (JWT)", "/api", token),
            ("API key", "/api", key),
            ("break-glass token", "/api", BenchSilo.Token),
        };
        Console.WriteLine(Benchmarks.Hardware());
        Console.WriteLine($"{assets} assets in DU5; {requests} sequential requests per variant and route, in {Rounds} interleaved rounds, after a warm-up");
        foreach (var route in new[] { "/assets?unit=DU5", "/assets/DU5-B-0007" })
        {
            var clients = variants.Select(v => Client(silo.Address, v.Credential)).ToArray();
            var times = variants.Select(_ => new List<double>(requests)).ToArray();
            for (var v = 0; v < variants.Length; v++)
            {
                await MeasureAsync(clients[v], variants[v].Prefix + route, 200, null);
            }

            for (var round = 0; round < Rounds; round++)
            {
                for (var v = 0; v < variants.Length; v++)
                {
                    await MeasureAsync(clients[v], variants[v].Prefix + route, requests / Rounds, times[v]);
                }
            }

            Console.WriteLine($"GET /api{route}");
            var baseline = Stats(times[0]);
            for (var v = 0; v < variants.Length; v++)
            {
                var (p50, p99) = Stats(times[v]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {variants[v].Name,-34} p50 {p50,7:0.000} ms  p99 {p99,7:0.000} ms  (p50 +{p50 - baseline.P50:0.000} ms, ×{p50 / baseline.P50:0.00})"));
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        return 0;
    }

    private static HttpClient Client(Uri address, string? credential)
    {
        var client = new HttpClient { BaseAddress = address };
        if (credential is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return client;
    }

    private static async Task MeasureAsync(HttpClient client, string path, int count, List<double>? times)
    {
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path);
            await response.Content.LoadIntoBufferAsync();
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
            }

            times?.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static (double P50, double P99) Stats(List<double> times)
    {
        var sorted = times.Order().ToList();
        return (Benchmarks.Percentile(sorted, 0.50), Benchmarks.Percentile(sorted, 0.99));
    }
}
