using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CmacLive.Testing;

/// <summary>
/// A throwaway certificate authority made at run time, and certificates it signs, written as PEM files into a
/// temporary folder that <see cref="Dispose"/> deletes. Nothing of it is ever committed. The files are readable by
/// other users, so a broker that drops its privileges (Mosquitto started as root) can read them too.
/// </summary>
/// <example>
/// <code>
/// using var ca = TestCertificates.Create();
/// var silo = ca.Issue("silo");                 // localhost, 127.0.0.1, ::1; server and client authentication
/// // silo.CertificatePath, silo.KeyPath, ca.AuthorityPath  (mosquitto_pub --cafile ca.AuthorityPath)
/// using var http = new HttpClient(ca.HttpHandler());  // or ca.Trusts(certificate) in a validation callback
/// </code>
/// </example>
public sealed class TestCertificates : IDisposable
{
    /// <summary>Names a leaf certificate is issued for unless told otherwise.</summary>
    public static readonly IReadOnlyList<string> LoopbackNames = ["localhost", "127.0.0.1", "::1"];

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly ECDsa _authorityKey;

    private TestCertificates(string folder, X509Certificate2 authority, ECDsa authorityKey)
    {
        Folder = folder;
        Authority = authority;
        _authorityKey = authorityKey;
        AuthorityPath = Path.Combine(folder, "ca.crt");
        File.WriteAllText(AuthorityPath, authority.ExportCertificatePem() + "\n");
    }

    /// <summary>The temporary folder holding every file written.</summary>
    public string Folder { get; }

    /// <summary>The authority's own (self-signed) certificate, without its key.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>PEM file of the authority's certificate: what a client or peer trusts (<c>--cafile</c>, <c>Cluster:Tls:Authority</c>).</summary>
    public string AuthorityPath { get; }

    /// <summary>A new authority (ECDSA P-256, valid for a day) in a new temporary folder.</summary>
    public static TestCertificates Create(string name = "CmacLive test CA")
    {
        var folder = Path.Combine(Path.GetTempPath(), "cmaclive-certs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var (notBefore, notAfter) = Validity();
        using var selfSigned = request.CreateSelfSigned(notBefore, notAfter);
        var authority = X509CertificateLoader.LoadCertificate(selfSigned.RawData);
        return new TestCertificates(folder, authority, key);
    }

    /// <summary>
    /// A certificate signed by this authority for <paramref name="names"/> (DNS names or IP addresses; by default
    /// <see cref="LoopbackNames"/>), good for both server and client authentication, written as
    /// <c>{fileName}.crt</c> and <c>{fileName}.key</c> (PKCS#8).
    /// </summary>
    public IssuedCertificate Issue(string fileName, params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={fileName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication, ClientAuthentication], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        var alternativeNames = new SubjectAlternativeNameBuilder();
        foreach (var name in names.Length > 0 ? names : LoopbackNames)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                alternativeNames.AddIpAddress(address);
            }
            else
            {
                alternativeNames.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(alternativeNames.Build());
        var (notBefore, notAfter) = Validity();
        var generator = X509SignatureGenerator.CreateForECDsa(_authorityKey);
        using var signed = request.Create(Authority.SubjectName, generator, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        var certificatePath = Path.Combine(Folder, fileName + ".crt");
        var keyPath = Path.Combine(Folder, fileName + ".key");
        File.WriteAllText(certificatePath, signed.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return new IssuedCertificate(certificatePath, keyPath, X509Certificate2.CreateFromPemFile(certificatePath, keyPath));
    }

    /// <summary>
    /// A chain policy that trusts this authority alone (not the machine's roots), for
    /// <c>SslClientAuthenticationOptions.CertificateChainPolicy</c> or an <see cref="X509Chain"/> of one's own.
    /// </summary>
    public X509ChainPolicy ChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(Authority);
        return policy;
    }

    /// <summary>An HTTP handler whose TLS trusts this authority alone; host names are still checked.</summary>
    public SocketsHttpHandler HttpHandler() => new() { SslOptions = { CertificateChainPolicy = ChainPolicy() } };

    /// <summary>Whether <paramref name="certificate"/> chains to this authority (for a validation callback).</summary>
    public bool Trusts(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain { ChainPolicy = ChainPolicy() };
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(presented);
    }

    public void Dispose()
    {
        _authorityKey.Dispose();
        Authority.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a process still holding a file; the temporary folder is cleaned another day
        }
    }

    private static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Validity()
    {
        var now = DateTimeOffset.UtcNow;
        return (now.AddMinutes(-5), now.AddDays(1));
    }
}

/// <summary>A certificate and its private key as PEM files, and loaded (with its key).</summary>
public sealed record IssuedCertificate(string CertificatePath, string KeyPath, X509Certificate2 Certificate);
