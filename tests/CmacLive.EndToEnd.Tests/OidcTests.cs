using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A centre's own identity provider: the test serves an OpenID Connect discovery document and its signing keys
/// (JWKS) over loopback HTTP, as Keycloak does, signs tokens with its own RSA key, and a silo configured with
/// <c>Auth:Oidc:*</c> accepts them with the roles the provider's role claim names.
/// </summary>
public sealed class OidcTests : IAsyncLifetime
{
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly string _kid = Guid.NewGuid().ToString("N")[..12];
    private WebApplication _provider = null!;
    private string _issuer = null!;
    private TestSilo _silo = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _provider = builder.Build();
        _provider.MapGet("/realms/cmac/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _issuer,
            ["jwks_uri"] = $"{_issuer}/protocol/openid-connect/certs",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        _provider.MapGet("/realms/cmac/protocol/openid-connect/certs", () =>
        {
            var key = _rsa.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = _kid, n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent) } } });
        });
        await _provider.StartAsync();
        var address = _provider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _issuer = $"{address}/realms/cmac";
        _silo = await TestSilo.StartAsync(configure: null, dataFolder: null,
            $"--Auth:Oidc:Authority={_issuer}", "--Auth:Oidc:Audience=cmaclive-dashboard", "--Auth:Oidc:RoleClaim=realm_access.roles",
            "--Auth:Oidc:RequireHttpsMetadata=false");
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _provider.DisposeAsync();
        _rsa.Dispose();
    }

    [Fact]
    public async Task The_providers_tokens_are_accepted_with_the_roles_its_claim_names_and_others_refused()
    {
        using var officer = _silo.ClientWith(Token("sopheap", ["operator", "offline_access"]));
        var me = await officer.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("sopheap", me.GetProperty("username").GetString());
        Assert.Equal("oidc", me.GetProperty("via").GetString());
        Assert.Equal(["operator"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/api/assets")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PutAsJsonAsync("/api/assets/DU5-OIDC", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync("/api/dispatch/requests", new { })).StatusCode);

        // The provider's user is the one the audit trail names.
        Assert.True((await officer.PutAsJsonAsync("/api/assets/DU5-OIDC", new { kind = "team", name = "OIDC team", unit = "DU5" })).IsSuccessStatusCode);
        var audit = await officer.GetFromJsonAsync<JsonElement>("/api/audit?target=asset:DU5-OIDC");
        Assert.Equal("sopheap", audit[0].GetProperty("user").GetString());

        // A role the product does not know grants nothing.
        using var stranger = _silo.ClientWith(Token("stranger", ["superuser"]));
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync("/api/assets")).StatusCode);

        // The hub takes it too.
        await using (var hub = await HubProbe.ConnectAsync(_silo, Token("wall", ["viewer"])))
        {
            await hub.Connection.InvokeAsync("Focus", new[] { "DU5" });
        }

        // Signed by another key, for another audience, by another issuer, or expired: refused.
        using var otherKey = RSA.Create(2048);
        foreach (var refused in new[]
        {
            Token("mallory", ["admin"], signer: otherKey),
            Token("mallory", ["admin"], audience: "another-app"),
            Token("mallory", ["admin"], issuer: "http://127.0.0.1:1/realms/cmac"),
            Token("mallory", ["admin"], expires: DateTimeOffset.UtcNow.AddMinutes(-5)),
        })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await _silo.ClientWith(refused).GetAsync("/api/assets")).StatusCode);
        }

        // The silo's own users still sign in beside the provider.
        await _silo.CreateUserAsync("local-op", "operator");
        using var local = _silo.ClientWith(await _silo.SignInAsync("local-op"));
        Assert.Equal(HttpStatusCode.OK, (await local.GetAsync("/api/assets")).StatusCode);
    }

    [Fact]
    public async Task A_provider_without_an_audience_is_refused_at_start()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => TestSilo.StartAsync(configure: null, dataFolder: null,
            $"--Auth:Oidc:Authority={_issuer}", "--Auth:Oidc:RequireHttpsMetadata=false"));
        Assert.Contains("Auth:Oidc:Audience", refused.Message, StringComparison.Ordinal);
    }

    private string Token(string user, string[] roles, RSA? signer = null, string audience = "cmaclive-dashboard", string? issuer = null, DateTimeOffset? expires = null)
    {
        var end = expires ?? DateTimeOffset.UtcNow.AddMinutes(30);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? _issuer,
            Audience = audience,
            IssuedAt = end.AddHours(-1).UtcDateTime,
            NotBefore = end.AddHours(-1).UtcDateTime,
            Expires = end.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = Guid.NewGuid().ToString(),
                ["preferred_username"] = user,
                ["realm_access"] = new Dictionary<string, object> { ["roles"] = roles },
            },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signer ?? _rsa) { KeyId = _kid }, SecurityAlgorithms.RsaSha256),
        });
    }
}
