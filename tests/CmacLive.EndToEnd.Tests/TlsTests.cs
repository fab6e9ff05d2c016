using CmacLive.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using CmacLive.Silo;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// HTTPS from Kestrel's own configuration and mutual TLS between silos, with an authority and certificates made
/// for the test run.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class TlsTests
{
    [Fact]
    public async Task Https_is_served_with_the_configured_certificate_beside_plain_http_and_refused_by_a_client_that_does_not_trust_its_authority()
    {
        using var ca = TestCertificates.Create();
        var server = ca.Issue("https");
        var dataFolder = TestSilo.NewDataFolder();
        var httpsPort = SiloEndpoints.FreePort();
        await using var silo = await SiloProcess.StartAsync("https",
        [
            $"--Storage:ConnectionString=Data Source={Path.Combine(dataFolder, "cmaclive.db")}",
            $"--Kestrel:Endpoints:Https:Url=https://127.0.0.1:{httpsPort}",
            $"--Kestrel:Endpoints:Https:Certificate:Path={server.CertificatePath}",
            $"--Kestrel:Endpoints:Https:Certificate:KeyPath={server.KeyPath}",
        ]);
        var https = new Uri($"https://127.0.0.1:{httpsPort}");

        // Plain HTTP still answers where --urls says (SiloProcess waited for its /health).
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/api/assets")).StatusCode);

        using var trusting = new HttpClient(ca.HttpHandler()) { BaseAddress = https };
        var health = await trusting.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await trusting.GetAsync("/api/assets")).StatusCode);
        trusting.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestSilo.Token);
        Assert.Equal(HttpStatusCode.OK, (await trusting.GetAsync("/api/assets")).StatusCode);

        // A client that trusts only the machine's roots does not get past the handshake.
        using var machineTrust = new HttpClient { BaseAddress = https };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => machineTrust.GetAsync("/health"));
        Assert.IsType<AuthenticationException>(refused.InnerException);

        // Nor does one that trusts another authority.
        using var other = TestCertificates.Create("Another CA");
        using var otherTrust = new HttpClient(other.HttpHandler()) { BaseAddress = https };
        refused = await Assert.ThrowsAsync<HttpRequestException>(() => otherTrust.GetAsync("/health"));
        Assert.IsType<AuthenticationException>(refused.InnerException);
    }

    [Fact]
    public async Task Silos_with_certificates_of_the_cluster_authority_form_one_cluster_and_a_silo_of_another_authority_or_without_tls_cannot_join()
    {
        using var ca = TestCertificates.Create();
        await using var pair = await SiloPair.StartAsync("cmac_tls", ClusterTls(ca, ca.Issue("silo-a")), ClusterTls(ca, ca.Issue("silo-b")));
        var (a, b) = (pair.A, pair.B);

        // A device on A reaches a dashboard on B: the live feed crosses from silo to silo.
        var secret = await a.ProvisionAsync("DU5-TLS-01", "trk-tls-01");
        await using var dashboardOnB = await HubProbe.ConnectAsync(b);
        await using var deviceOnA = await DeviceProbe.ConnectAsync(a, "trk-tls-01", secret);
        await deviceOnA.PublishFixAsync(13.36, 102.98, DateTimeOffset.UtcNow);
        await dashboardOnB.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == "DU5-TLS-01" && HubProbe.Lat(s) == 13.36, seconds: 20);

        // A silo whose certificate another authority signed, and one without TLS, are refused at the handshake and
        // never become active.
        using var stranger = TestCertificates.Create("Another CA");
        await using var foreign = SiloProcess.Launch("C", [.. SiloProcess.OnPostgres(pair.Database), .. ClusterTls(stranger, stranger.Issue("silo-c"))]);
        await using var plain = SiloProcess.Launch("D", SiloProcess.OnPostgres(pair.Database));
        foreach (var intruder in new[] { foreign, plain })
        {
            await intruder.WaitForOutputAsync("Failed to get ping responses from 2 of 2 active silos", TimeSpan.FromSeconds(30));
        }

        await a.WaitForOutputAsync("Authentication failed", TimeSpan.FromSeconds(5));
        foreach (var intruder in new[] { foreign, plain })
        {
            Assert.Null(await intruder.HealthAsync());
            await intruder.KillAsync();
        }

        Assert.Equal(2, await SiloEndpoints.ActiveSilosAsync(pair.Database));
    }

    [Fact]
    public void A_silo_with_broken_cluster_tls_settings_stops_at_start_naming_the_setting()
    {
        using var ca = TestCertificates.Create();
        var one = ca.Issue("one");
        var two = ca.Issue("two");
        using var stranger = TestCertificates.Create("Another CA");

        var missing = Path.Combine(ca.Folder, "missing.crt");
        Assert.Contains($"Cluster:Tls:Certificate: no file at '{missing}'", StartFailure($"--Cluster:Tls:Certificate={missing}", $"--Cluster:Tls:Key={one.KeyPath}"));
        Assert.Contains("Cluster:Tls:Key is not set", StartFailure($"--Cluster:Tls:Certificate={one.CertificatePath}"));
        Assert.Contains($"Cluster:Tls:Key: '{two.KeyPath}' is not the unencrypted PEM private key of the certificate in Cluster:Tls:Certificate",
            StartFailure($"--Cluster:Tls:Certificate={one.CertificatePath}", $"--Cluster:Tls:Key={two.KeyPath}"));
        Assert.Contains("does not chain to Cluster:Tls:Authority",
            StartFailure($"--Cluster:Tls:Certificate={one.CertificatePath}", $"--Cluster:Tls:Key={one.KeyPath}", $"--Cluster:Tls:Authority={stranger.AuthorityPath}"));
    }

    private static string[] ClusterTls(TestCertificates authority, IssuedCertificate silo) =>
    [
        $"--Cluster:Tls:Certificate={silo.CertificatePath}",
        $"--Cluster:Tls:Key={silo.KeyPath}",
        $"--Cluster:Tls:Authority={authority.AuthorityPath}",
    ];

    private static string StartFailure(params string[] settings) =>
        Assert.Throws<InvalidOperationException>(() => SiloHost.Build([$"--Auth:AdminToken={TestSilo.Token}", .. settings])).Message;
}
