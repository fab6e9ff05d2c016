using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CmacLive.Api.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CmacLive.EndToEnd.Tests;

/// <summary>An address that keeps presenting refused credentials is held back; callers with a valid one from it are not.</summary>
public sealed class AddressThrottleTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(b => b.Services.AddKeyedSingleton<TimeProvider>(AuthClock.Key, _clock), null,
            "--Auth:FailuresPerAddress=20", "--Auth:AddressBackoff=00:02:00");

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Repeated_refused_credentials_from_one_address_answer_429_but_a_valid_token_from_it_goes_through()
    {
        await _silo.CreateUserAsync("ops-room", "operator");
        var valid = await _silo.SignInAsync("ops-room");
        using var guesser = _silo.ClientWith("not-a-real-token");
        using var anonymous = _silo.ClientWith(null);

        // Requests without any credential are not counted: the page's own files and the first call before sign-in.
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/assets")).StatusCode);
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            statuses.Add((await guesser.GetAsync("/api/assets")).StatusCode);
        }

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(80, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        var held = await guesser.GetAsync("/api/assets");
        Assert.Equal("application/problem+json", held.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(120), held.Headers.RetryAfter?.Delta);

        // The operations room behind the same address still works with its valid token, REST and hub alike; signing in anew waits.
        using var room = _silo.ClientWith(valid);
        Assert.Equal(HttpStatusCode.OK, (await room.GetAsync("/api/assets")).StatusCode);
        await using (var hub = await HubProbe.ConnectAsync(_silo, valid))
        {
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await _silo.SignInResponseAsync("ops-room", TestUsers.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.GetAsync("/api/assets")).StatusCode);
        Assert.True((await room.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("roles").GetArrayLength() == 1);

        // After the back-off the address is heard again.
        _clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/api/assets")).StatusCode);
        await _silo.SignInAsync("ops-room");
        var stats = await _silo.Http.GetFromJsonAsync<JsonElement>("/api/auth/stats");
        Assert.True(stats.GetProperty("addressesHeldBack").GetInt64() >= 83);
    }
}
