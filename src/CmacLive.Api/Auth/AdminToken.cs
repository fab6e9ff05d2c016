using System.Security.Cryptography;
using System.Text;

namespace CmacLive.Api.Auth;

/// <summary>
/// The bearer token with every right: <c>Auth:AdminToken</c> when configured, otherwise generated on first
/// start and kept in <c>admin-token</c> under the data folder, so it stays the same across restarts.
/// </summary>
public sealed class AdminToken
{
    private const string FileName = "admin-token";
    private readonly byte[] _token;

    private AdminToken(string token, bool generated, string? path)
    {
        _token = Encoding.UTF8.GetBytes(token);
        Value = token;
        Generated = generated;
        Path = path;
    }

    public string Value { get; }

    /// <summary>True when this start created the token (it is then printed once).</summary>
    public bool Generated { get; }

    public string? Path { get; }

    public static AdminToken Resolve(string? configured, string dataFolder)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new AdminToken(configured.Trim(), false, null);
        }

        var path = System.IO.Path.Combine(dataFolder, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } saved)
        {
            return new AdminToken(saved, false, path);
        }

        Directory.CreateDirectory(dataFolder);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // never readable by others, not even briefly
        }

        using (var writer = new StreamWriter(path, create))
        {
            writer.WriteLine(token);
        }

        return new AdminToken(token, true, path);
    }

    public bool Matches(string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);
}
