using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace CmacLive.Benchmarks;

/// <summary>
/// A PostgreSQL server for a benchmark of a cluster: the one named by <c>--postgres</c>, else the one the tests use
/// (<c>CMAC_TEST_POSTGRES</c>), else a throwaway server started here as <c>./test.sh</c> starts one (Debian's
/// <c>initdb</c> and <c>pg_ctl</c>, as the postgres user when run as root, on a free loopback port, in a temporary
/// folder removed afterwards). Each run gets a fresh database of its own, dropped afterwards.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;
    private readonly string? _folder;
    private readonly string? _bin;

    private BenchPostgres(string server, string name, string? folder, string? bin)
    {
        _server = server;
        _name = name;
        _folder = folder;
        _bin = bin;
        Database = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>The connection string of this run's own database.</summary>
    public string Database { get; }

    /// <summary>Where the server came from, for the report.</summary>
    public string Source => _folder is null ? "an existing server" : $"a throwaway server in {_folder}";

    public static async Task<BenchPostgres> OpenAsync(string? postgres, string prefix)
    {
        string? folder = null;
        string? bin = null;
        var server = postgres ?? Environment.GetEnvironmentVariable("CMAC_TEST_POSTGRES");
        if (string.IsNullOrEmpty(server))
        {
            (server, folder, bin) = await StartServerAsync();
        }

        var name = $"{prefix}_{Guid.NewGuid():N}"[..32];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new BenchPostgres(server, name, folder, bin);
    }

    /// <summary>Every row of the cluster's membership table: silo port, generation and status (3 active, 6 dead).</summary>
    public async Task<List<(int Port, int Generation, int Status)>> MembershipAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT port, generation, status FROM orleansmembershiptable", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<(int, int, int)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            Console.Error.WriteLine($"database {_name} not dropped: {ex.Message}");
        }

        if (_folder is not null)
        {
            await RunAsync(AsPostgres(Path.Combine(_bin!, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "immediate", "stop"));
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static async Task<(string Server, string Folder, string Bin)> StartServerAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("no PostgreSQL: pass --postgres \"<connection string>\", set CMAC_TEST_POSTGRES, or install Debian's postgresql");
        }

        var root = Environment.UserName == "root";
        var user = root ? "postgres" : Environment.UserName;
        var folder = Directory.CreateTempSubdirectory("cmaclive-bench-pg-").FullName;
        if (root)
        {
            await RunAsync(("chown", ["postgres:postgres", folder]));
        }

        var port = FreePort();
        await RunAsync(AsPostgres(Path.Combine(bin, "initdb"), "-D", Path.Combine(folder, "data"), "-U", user, "-A", "trust", "-E", "UTF8"));
        await RunAsync(AsPostgres(Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "server.log"), "-w",
            "-o", string.Create(CultureInfo.InvariantCulture, $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=300"), "start"));
        return ($"Host=127.0.0.1;Port={port};Username={user};Database=postgres", folder, bin);
    }

    private static (string File, string[] Args) AsPostgres(string file, params string[] args) =>
        Environment.UserName == "root" ? ("runuser", ["-u", "postgres", "--", file, .. args]) : (file, args);

    private static async Task RunAsync((string File, string[] Args) command)
    {
        var start = new ProcessStartInfo(command.File) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command.File} {string.Join(' ', command.Args)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
