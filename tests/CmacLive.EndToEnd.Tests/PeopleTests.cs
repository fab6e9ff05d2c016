using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CmacLive.Api.Auth;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CmacLive.EndToEnd.Tests;

/// <summary>Users, sign-in, tokens and API keys against a real silo, with the SignalR client on a real WebSocket.</summary>
[Collection(SiloCollection.Name)]
public sealed class PeopleTests(SiloFixture fixture)
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task A_user_signs_in_and_me_says_who_with_the_roles_held_now()
    {
        await Silo.CreateUserAsync("sophea", "operator", "dispatcher");
        var response = await Silo.SignInResponseAsync("Sophea", TestUsers.Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["operator", "dispatcher"], answer.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var expires = answer.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(11.9), TimeSpan.FromHours(12.1));

        using var client = Silo.ClientWith(answer.GetProperty("accessToken").GetString());
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("sophea", me.GetProperty("username").GetString());
        Assert.Equal("User sophea", me.GetProperty("displayName").GetString());
        Assert.Equal("token", me.GetProperty("via").GetString());

        // Roles taken away count at once on this silo, for a token made before; its hub connection is closed (it reconnects with the new roles).
        await using var hub = await HubProbe.ConnectAsync(Silo, answer.GetProperty("accessToken").GetString());
        var hubClosed = Closed(hub);
        Assert.True((await Silo.Http.PutAsJsonAsync("/api/users/sophea", new { displayName = "Sophea", roles = new[] { "viewer" } })).IsSuccessStatusCode);
        me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(["viewer"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var forbidden = await client.PutAsJsonAsync("/api/assets/DU5-X", new { kind = "team", name = "x", unit = "DU5" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("this needs one of the roles admin, operator; you hold viewer",
            (await forbidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        await hubClosed.WaitAsync(TimeSpan.FromSeconds(5));

        // The listing never shows a password or its hash.
        var users = await Silo.Http.GetStringAsync("/api/users");
        Assert.Contains("\"sophea\"", users, StringComparison.Ordinal);
        Assert.DoesNotContain(TestUsers.Password, users, StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", users, StringComparison.Ordinal); // the hasher's V3 prefix
    }

    [Fact]
    public async Task Bad_user_input_is_refused_naming_the_field()
    {
        var cases = new (string Path, object Body, string Field)[]
        {
            ("/api/users/ops1", new { displayName = "x", roles = new[] { "boss" } }, "roles"),
            ("/api/users/ops1", new { displayName = "x", roles = "admin" }, "roles"),
            ("/api/users/ops1", new { roles = new[] { "viewer" } }, "displayName"),
            ("/api/users/ops1", new { displayName = "x", roles = new[] { "viewer" }, password = "short" }, "password"),
            ("/api/users/Bad%20Name", new { displayName = "x", roles = new[] { "viewer" } }, "username"),
        };
        foreach (var (path, body, field) in cases)
        {
            var response = await Silo.Http.PutAsJsonAsync(path, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var message), $"{path}: {problem}");
            if (field == "roles" && body.ToString()!.Contains("boss", StringComparison.Ordinal))
            {
                Assert.Contains("'boss'", message[0].GetString(), StringComparison.Ordinal);
            }
        }

        // A member sent twice is refused, and named, so what is applied and what the audit trail records cannot differ.
        var twice = await Silo.Http.PutAsync("/api/assets/DU5-TWICE",
            new StringContent("""{"kind":"team","name":"A","unit":"DU5","unit":"DU6"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.True((await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("unit", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.GetAsync("/api/assets/DU5-TWICE")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Silo.Http.PutAsJsonAsync("/api/users/break-glass", new { displayName = "x", roles = new[] { "admin" } })).StatusCode);

        var signIn = await Silo.ClientWith(null).PostAsync("/api/auth/token", new StringContent("{\"username\":\"x\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Contains("password", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_name_and_a_wrong_password_look_alike_and_tokens_that_are_not_ours_are_refused()
    {
        await Silo.CreateUserAsync("dara", "viewer");
        var wrongPassword = new List<double>();
        var wrongName = new List<double>();
        string? bodyOfWrongPassword = null;
        string? bodyOfWrongName = null;
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var a = await Silo.SignInResponseAsync("dara", "not the password " + i);
            wrongPassword.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            var b = await Silo.SignInResponseAsync($"nobody-{i}", "not the password " + i);
            wrongName.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, b.StatusCode);
            bodyOfWrongPassword = WithoutTrace(await a.Content.ReadAsStringAsync());
            bodyOfWrongName = WithoutTrace(await b.Content.ReadAsStringAsync());
        }

        Assert.Equal(bodyOfWrongPassword, bodyOfWrongName);
        // An unknown name is checked against a decoy hash: it costs about what a wrong password costs.
        var median = (List<double> t) => t.Order().ElementAt(t.Count / 2);
        Assert.True(median(wrongName) > 0.4 * median(wrongPassword), $"wrong name {median(wrongName):F0} ms, wrong password {median(wrongPassword):F0} ms");

        // Tokens the silo did not make as they are: signed with another key, unsigned, for another audience or issuer, expired.
        var stamp = (await Silo.Services.GetRequiredService<IGrainFactory>().GetGrain<CmacLive.People.IUserGrain>("dara").GetAccess())!.Stamp;
        var keys = Silo.Services.GetRequiredService<SigningKeys>();
        var real = await keys.ForSigningAsync();
        var other = new SymmetricSecurityKey(new byte[32]) { KeyId = real.KeyId };
        var forged = new[]
        {
            Token(other, TokenIssuer.Issuer, TokenIssuer.Audience, DateTimeOffset.UtcNow.AddHours(1)),
            Token(real, TokenIssuer.Issuer, "someone-else", DateTimeOffset.UtcNow.AddHours(1)),
            Token(real, "https://issuer.example", TokenIssuer.Audience, DateTimeOffset.UtcNow.AddHours(1)),
            Token(real, TokenIssuer.Issuer, TokenIssuer.Audience, DateTimeOffset.UtcNow.AddMinutes(-1)),
            Unsigned(),
            "not.a.jwt",
            "eyJhbGciOiJIUzI1NiJ9.e30.",
            "cmk_0123456789abcdef_" + new string('x', 43),
            "cmk_",
            new string('A', 8000),
        };
        Assert.Equal(HttpStatusCode.OK, (await Silo.ClientWith(Token(real, TokenIssuer.Issuer, TokenIssuer.Audience, DateTimeOffset.UtcNow.AddHours(1))).GetAsync("/api/me")).StatusCode);
        foreach (var token in forged)
        {
            var response = await Silo.ClientWith(token).GetAsync("/api/assets");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        static string WithoutTrace(string body) => System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "");

        string Token(SecurityKey key, string issuer, string audience, DateTimeOffset expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires.AddHours(-2).UtcDateTime,
            NotBefore = expires.AddHours(-2).UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = "dara", [TokenIssuer.StampClaim] = stamp },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });

        static string Unsigned()
        {
            static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
            var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
            return $"{Part("""{"alg":"none","typ":"JWT"}""")}.{Part($$"""{"sub":"dara","iss":"cmaclive","aud":"cmaclive","exp":{{exp}}}""")}.";
        }
    }

    [Fact]
    public async Task An_api_key_is_shown_once_acts_within_its_roles_and_stops_when_revoked_or_its_user_is_deleted()
    {
        await Silo.CreateUserAsync("hotline", "dispatcher", "viewer");
        var created = await Silo.Http.PostAsJsonAsync("/api/users/hotline/keys", new { name = "hotline-app", roles = new[] { "dispatcher" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        Assert.StartsWith("cmk_", key, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await Silo.Http.PostAsJsonAsync("/api/users/hotline/keys", new { name = "more", roles = new[] { "admin" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Silo.Http.PostAsJsonAsync("/api/users/hotline/keys", new { name = "hotline-app" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.PostAsJsonAsync("/api/users/no-such-user/keys", new { name = "x" })).StatusCode);
        var listed = await Silo.Http.GetStringAsync("/api/users/hotline");
        Assert.Contains("hotline-app", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key[4..20], listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key[21..], listed, StringComparison.Ordinal);

        using var app = Silo.ClientWith(key);
        var me = await app.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("api-key", me.GetProperty("via").GetString());
        Assert.Equal(["dispatcher"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PutAsJsonAsync("/api/assets/DU5-Y", new { kind = "team", name = "y", unit = "DU5" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostAsJsonAsync("/api/dispatch/requests", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Silo.ClientWith(key[..^2] + "xx").GetAsync("/api/me")).StatusCode);

        await using var hub = await HubProbe.ConnectAsync(Silo, key);
        var hubClosed = Closed(hub);
        Assert.Equal(HttpStatusCode.NoContent, (await Silo.Http.DeleteAsync("/api/users/hotline/keys/hotline-app")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/api/me")).StatusCode);
        await hubClosed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.DeleteAsync("/api/users/hotline/keys/hotline-app")).StatusCode);

        // Deleting the user stops its other keys and its tokens, and closes its hub connections.
        var second = await Silo.Http.PostAsJsonAsync("/api/users/hotline/keys", new { name = "backup" });
        using var backup = Silo.ClientWith((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        using var person = Silo.ClientWith(await Silo.SignInAsync("hotline"));
        Assert.Equal(HttpStatusCode.OK, (await backup.GetAsync("/api/me")).StatusCode);
        await using var personHub = await HubProbe.ConnectAsync(Silo, person.DefaultRequestHeaders.Authorization!.Parameter);
        var personClosed = Closed(personHub);
        Assert.Equal(HttpStatusCode.NoContent, (await Silo.Http.DeleteAsync("/api/users/hotline")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await backup.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.GetAsync("/api/me")).StatusCode);
        await personClosed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.GetAsync("/api/users/hotline")).StatusCode);
    }

    [Fact]
    public async Task A_disabled_user_or_a_new_password_stops_the_tokens_made_before()
    {
        await Silo.CreateUserAsync("rotating", "viewer");
        using var before = Silo.ClientWith(await Silo.SignInAsync("rotating"));
        Assert.True((await Silo.Http.PutAsJsonAsync("/api/users/rotating", new { displayName = "R", roles = new[] { "viewer" }, password = "a new passphrase" })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Silo.SignInResponseAsync("rotating", TestUsers.Password)).StatusCode);
        using var after = Silo.ClientWith(await Silo.SignInAsync("rotating", "a new passphrase"));
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync("/api/me")).StatusCode);

        Assert.True((await Silo.Http.PutAsJsonAsync("/api/users/rotating", new { displayName = "R", roles = new[] { "viewer" }, disabled = true })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await after.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Silo.SignInResponseAsync("rotating", "a new passphrase")).StatusCode);

        // Changing a disabled user without naming "disabled" keeps it disabled.
        var edited = await Silo.Http.PutAsJsonAsync("/api/users/rotating", new { displayName = "Renamed", roles = new[] { "viewer" } });
        Assert.True((await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Silo.SignInResponseAsync("rotating", "a new passphrase")).StatusCode);
    }

    [Fact]
    public async Task The_first_start_made_an_administrator_whose_password_is_saved_for_its_owner_only()
    {
        var path = Path.Combine(Silo.DataFolder, "admin-password");
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var token = await Silo.SignInAsync("admin", (await File.ReadAllTextAsync(path)).Trim());
        var me = await Silo.ClientWith(token).GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(["admin"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void No_orleans_gateway_is_opened_by_default()
    {
        // A gateway would answer any grain call with no token at all; nothing outside the silo needs one.
        var endpoints = Silo.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.EndpointOptions>>().Value;
        Assert.Equal(0, endpoints.GatewayPort);
    }

    private static Task Closed(HubProbe hub)
    {
        var closed = new TaskCompletionSource();
        hub.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }
}
