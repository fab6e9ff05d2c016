using System.Security.Cryptography;
using CmacLive.People;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmacLive.Api.Auth;

/// <summary>
/// On the first start of a cluster with no users, creates the user <c>admin</c> (role admin) with a generated
/// password, saves the password in <c>admin-password</c> under the data folder (readable by the owner only) and prints
/// it once. Exactly one silo of a cluster does it (the user directory hands out one claim).
/// </summary>
public sealed partial class FirstAdmin(
    IGrainFactory grains,
    PasswordHashing passwords,
    FirstAdmin.Settings settings,
    ILogger<FirstAdmin> logger) : BackgroundService
{
    public const string Username = "admin";
    public const string FileName = "admin-password";

    /// <summary>Where the password is saved.</summary>
    public sealed record Settings(string DataFolder);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await CreateAsync();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(attempt, 5))), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CreateAsync()
    {
        if (!await grains.GetGrain<IUserDirectoryGrain>(0).ClaimFirstUser())
        {
            return;
        }

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        var hash = await Task.Run(() => passwords.Hash(password));
        await grains.GetGrain<IUserGrain>(Username).Put(new UserChange { DisplayName = "Administrator", Roles = [Roles.Admin], PasswordHash = hash });

        Directory.CreateDirectory(settings.DataFolder);
        var path = Path.Combine(settings.DataFolder, FileName);
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // never readable by others, not even briefly
            if (File.Exists(path))
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        await using (var writer = new StreamWriter(path, create))
        {
            await writer.WriteLineAsync(password);
        }

        // Printed once, like the admin token: the operator needs it to sign in the first time.
        Console.WriteLine($"Admin user '{Username}' created; its password (shown once, saved to {path}): {password}");
    }

    [LoggerMessage(LogLevel.Warning, "Could not create the first administrator yet; retrying")]
    private partial void LogFailed(Exception ex);
}
