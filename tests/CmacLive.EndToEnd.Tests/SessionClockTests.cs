using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CmacLive.Api.Auth;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CmacLive.EndToEnd.Tests;

/// <summary>A silo whose sign-in clock is a fake one: a shift's expiry and the sign-in back-off without waiting for them.</summary>
public sealed class SessionClockTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(b => b.Services.AddKeyedSingleton<TimeProvider>(AuthClock.Key, _clock), null);

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_token_expires_after_the_shift_and_its_hub_connection_is_closed()
    {
        await _silo.CreateUserAsync("night-shift", "operator");
        var token = await _silo.SignInAsync("night-shift");
        using var client = _silo.ClientWith(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/assets")).StatusCode);
        await using var hub = await HubProbe.ConnectAsync(_silo, token);
        var closed = new TaskCompletionSource();
        hub.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        _clock.Advance(TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/assets")).StatusCode);
        Assert.Equal(HubConnectionState.Connected, hub.Connection.State);

        _clock.Advance(TimeSpan.FromSeconds(2));
        var response = await client.GetAsync("/api/assets");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));

        // A new sign-in starts a new shift.
        using var again = _silo.ClientWith(await _silo.SignInAsync("night-shift"));
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/assets")).StatusCode);
    }

    [Fact]
    public async Task Ten_failures_refuse_a_name_for_a_back_off_that_doubles_and_the_real_user_gets_back_in()
    {
        await _silo.CreateUserAsync("guarded", "viewer");
        foreach (var name in new[] { "guarded", "ghost-user" })
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await _silo.SignInResponseAsync(name, "guess " + i)).StatusCode);
            }

            // Refused without a check, whether or not the name exists, and so is the right password meanwhile.
            var refused = await _silo.SignInResponseAsync(name, name == "guarded" ? TestUsers.Password : "guess");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter?.Delta);
        }

        // Another name is not held back by it.
        await _silo.CreateUserAsync("neighbour", "viewer");
        await _silo.SignInAsync("neighbour");

        // After the back-off the real user gets in; a guesser who goes on waits twice as long the next time.
        _clock.Advance(TimeSpan.FromSeconds(61));
        await _silo.SignInAsync("guarded");
        for (var i = 0; i < 10; i++)
        {
            await _silo.SignInResponseAsync("ghost-user", "guess again " + i);
        }

        var longer = await _silo.SignInResponseAsync("ghost-user", "guess");
        Assert.Equal(HttpStatusCode.TooManyRequests, longer.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), longer.Headers.RetryAfter?.Delta);

        // Counted: the failures, the refusals and the sign-ins that got through.
        var stats = await _silo.Http.GetFromJsonAsync<JsonElement>("/api/auth/stats");
        Assert.Equal(30, stats.GetProperty("signInsFailed").GetInt64());
        Assert.Equal(3, stats.GetProperty("signInsThrottled").GetInt64());
        Assert.Equal(2, stats.GetProperty("signIns").GetInt64());
    }

    [Fact]
    public async Task Attempts_sent_at_once_cannot_slip_past_the_limit()
    {
        await _silo.CreateUserAsync("crowded", "viewer");
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => _silo.SignInResponseAsync("crowded", "guess " + i)));
        var checkedOnes = answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized);
        Assert.True(checkedOnes <= 10, $"{checkedOnes} attempts were checked");
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task An_api_key_stops_at_its_expiry()
    {
        await _silo.CreateUserAsync("gis-export", "viewer");
        var created = await _silo.Http.PostAsJsonAsync("/api/users/gis-export/keys", new { name = "nightly", expiresAt = _clock.GetUtcNow().AddDays(7) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var client = _silo.ClientWith((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/assets")).StatusCode);
        _clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/assets")).StatusCode);
    }

    [Fact]
    public async Task Rotating_the_signing_key_keeps_earlier_tokens_valid_and_signs_new_ones_once_every_silo_has_it()
    {
        await _silo.CreateUserAsync("rotation-watch", "viewer");
        var before = await _silo.SignInAsync("rotation-watch");
        var rotated = await _silo.Http.PostAsync("/api/auth/signing-keys/rotate", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var keys = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.True(keys.Count >= 2);

        // Until the new key has had time to reach every silo, tokens are still signed with the old one.
        Assert.Equal(KeyId(before), KeyId(await _silo.SignInAsync("rotation-watch")));
        // (The key ring dates keys by the silo's own clock, which has run on since this fake one was set: a minute's margin.)
        _clock.Advance(SigningKeys.Propagation + TimeSpan.FromMinutes(1));
        var after = await _silo.SignInAsync("rotation-watch");
        Assert.Equal(keys[^1], KeyId(after));
        foreach (var token in new[] { before, after })
        {
            Assert.Equal(HttpStatusCode.OK, (await _silo.ClientWith(token).GetAsync("/api/me")).StatusCode);
        }

        // A key that may have leaked: retired at once, every token made before stops, a new sign-in works at once.
        Assert.Equal(HttpStatusCode.OK, (await _silo.Http.PostAsync("/api/auth/signing-keys/rotate?retire=true", null)).StatusCode);
        foreach (var token in new[] { before, after })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await _silo.ClientWith(token).GetAsync("/api/me")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await _silo.ClientWith(await _silo.SignInAsync("rotation-watch")).GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _silo.Http.PostAsync("/api/auth/signing-keys/rotate?retire=maybe", null)).StatusCode);

        static string? KeyId(string token) => new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Kid;
    }
}
