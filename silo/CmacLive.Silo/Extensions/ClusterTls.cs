using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace CmacLive.Silo.Extensions;

/// <summary>
/// Silo-to-silo (and gateway) connections over mutual TLS: every connection presents this silo's certificate and
/// requires the peer's, trusted as <see cref="ClusterTlsOptions.Authority"/> says. Settings that cannot work
/// (a file missing, a key not the certificate's, a certificate its own authority did not sign) stop the silo at
/// start with a message naming the key.
/// </summary>
public sealed class ClusterTls
{
    private const string Section = SiloClusterOptions.Section + ":Tls";
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2Collection? _authorities;

    private ClusterTls(X509Certificate2 certificate, X509Certificate2Collection? authorities)
    {
        _certificate = certificate;
        _authorities = authorities;
    }

    /// <summary>Reads and checks the settings; null when TLS between silos is not configured.</summary>
    public static ClusterTls? Load(ClusterTlsOptions settings)
    {
        if (!settings.IsSet)
        {
            return null;
        }

        var certificatePath = Required(settings.Certificate, "Certificate");
        var keyPath = Required(settings.Key, "Key");
        var certificatePem = File.ReadAllText(certificatePath);
        try
        {
            using var alone = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException($"{Section}:Certificate: '{certificatePath}' holds no PEM certificate ({ex.Message})", ex);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, File.ReadAllText(keyPath));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"{Section}:Key: '{keyPath}' is not the unencrypted PEM private key of the certificate in {Section}:Certificate ('{certificatePath}') ({ex.Message})", ex);
        }

        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usages
            && !(Allows(usages, ServerAuthentication) && Allows(usages, ClientAuthentication)))
        {
            throw new InvalidOperationException(
                $"{Section}:Certificate: '{certificatePath}' must allow both server and client authentication (extended key usage), since every silo is both");
        }

        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            throw new InvalidOperationException(
                $"{Section}:Certificate: '{certificatePath}' is valid from {certificate.NotBefore:O} to {certificate.NotAfter:O}, not now");
        }

        X509Certificate2Collection? authorities = null;
        if (!string.IsNullOrWhiteSpace(settings.Authority))
        {
            var authorityPath = Required(settings.Authority, "Authority");
            authorities = [];
            try
            {
                authorities.ImportFromPemFile(authorityPath);
            }
            catch (CryptographicException ex)
            {
                throw new InvalidOperationException($"{Section}:Authority: '{authorityPath}' holds no readable PEM certificate ({ex.Message})", ex);
            }

            if (authorities.Count == 0)
            {
                throw new InvalidOperationException($"{Section}:Authority: '{authorityPath}' holds no PEM certificate");
            }
        }

        var tls = new ClusterTls(certificate, authorities);
        if (authorities is not null && !(tls.Trusts(certificate, ServerAuthentication) && tls.Trusts(certificate, ClientAuthentication)))
        {
            throw new InvalidOperationException(
                $"{Section}:Certificate: '{certificatePath}' does not chain to {Section}:Authority ('{settings.Authority}'), so the other silos would refuse it");
        }

        return tls;
    }

    /// <summary>Inbound silo and gateway connections as TLS servers, outbound silo connections as TLS clients; both sides present a certificate.</summary>
    public ISiloBuilder ApplyTo(ISiloBuilder silo)
    {
        var inbound = Options(ClientAuthentication);
        var outbound = Options(ServerAuthentication);
        return silo.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(inbound));
            connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(inbound));
            connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(outbound));
        });
    }

    /// <summary>
    /// Whether a peer's certificate is trusted for <paramref name="usage"/> (what it does in this connection): chained to
    /// the authority (only that authority, not the machine's roots), or, without one, this silo's own certificate. Host
    /// names are not compared: silos reach each other at addresses from the membership table.
    /// </summary>
    private bool Trusts(X509Certificate2 peer, Oid usage)
    {
        if (_authorities is null)
        {
            var now = DateTime.Now;
            return peer.RawDataMemory.Span.SequenceEqual(_certificate.RawDataMemory.Span) && now >= peer.NotBefore && now <= peer.NotAfter;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(usage);
        return chain.Build(peer);
    }

    private TlsOptions Options(Oid peerUsage) => new()
    {
        LocalCertificate = _certificate,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        RemoteCertificateValidation = (peer, _, _) => Trusts(peer, peerUsage),
    };

    private static bool Allows(X509EnhancedKeyUsageExtension usages, Oid usage) =>
        usages.EnhancedKeyUsages.Cast<Oid>().Any(u => u.Value == usage.Value);

    private static string Required(string? path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException(
                $"{Section}:{key} is not set: {Section}:Certificate and {Section}:Key (PEM files) are needed together, {Section}:Authority is optional");
        }

        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new InvalidOperationException($"{Section}:{key}: no file at '{full}'");
    }
}
