using System.Globalization;

namespace CmacLive.Simulator;

/// <summary>Command-line settings: <c>--name value</c> pairs.</summary>
public sealed class SimulatorOptions
{
    public Uri Url { get; private set; } = new("http://127.0.0.1:5000");
    public string? Token { get; private set; }
    public string MqttHost { get; private set; } = "127.0.0.1";
    public int MqttPort { get; private set; } = 1883;
    public int Teams { get; private set; } = 4;
    public int Machines { get; private set; } = 1;
    public int Dogs { get; private set; } = 2;
    public int Rats { get; private set; } = 2;
    public double FixesPerSecond { get; private set; } = 1;
    public TimeSpan Duration { get; private set; } = TimeSpan.Zero;
    public string Unit { get; private set; } = "DU5";
    public double SosPerHour { get; private set; } = 2;
    public int Seed { get; private set; } = 2026;
    public bool Watch { get; private set; }
    public int Eod { get; private set; } = 2;
    public double RequestsPerHour { get; private set; } = 6;

    public const string Usage = """
        CmacLive field fleet simulator: provisions assets and devices over REST, then drives them over MQTT.

          --url URL            silo HTTP address            (default http://127.0.0.1:5000)
          --token T            admin bearer token           (default: silo/CmacLive.Silo/data/admin-token)
          --mqtt-host H        broker host                  (default 127.0.0.1)
          --mqtt-port P        broker port                  (default 1883)
          --teams N --machines N --dogs N --rats N          (default 4, 1, 2, 2)
          --eod N              mobile EOD teams waiting at the unit's base for dispatches (default 2)
          --requests-per-hour X  community reports the simulator files, assigns and resolves as a
                               dispatcher would; the EOD teams acknowledge and drive out (default 6)
          --rate R             fixes per second per device  (default 1)
          --duration S         seconds to run, 0 = until Ctrl+C (default 0)
          --unit U             demining unit of the fleet   (default DU5)
          --sos-per-hour X     SOS episodes per asset-hour  (default 2)
          --seed N             random seed                  (default 2026)
          --watch              also watch /hubs/ops and report fix-to-dashboard latency
        """;

    public static SimulatorOptions Parse(string[] args)
    {
        var o = new SimulatorOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new ArgumentException(Usage);
            }

            if (name == "--watch")
            {
                o.Watch = true;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value\n\n{Usage}");
            }

            var value = args[++i];
            switch (name)
            {
                case "--url": o.Url = new Uri(value); break;
                case "--token": o.Token = value; break;
                case "--mqtt-host": o.MqttHost = value; break;
                case "--mqtt-port": o.MqttPort = Whole(name, value); break;
                case "--teams": o.Teams = Whole(name, value); break;
                case "--machines": o.Machines = Whole(name, value); break;
                case "--dogs": o.Dogs = Whole(name, value); break;
                case "--rats": o.Rats = Whole(name, value); break;
                case "--rate": o.FixesPerSecond = Number(name, value); break;
                case "--duration": o.Duration = TimeSpan.FromSeconds(Number(name, value)); break;
                case "--unit": o.Unit = value; break;
                case "--sos-per-hour": o.SosPerHour = Number(name, value); break;
                case "--seed": o.Seed = Whole(name, value); break;
                case "--eod": o.Eod = Whole(name, value); break;
                case "--requests-per-hour": o.RequestsPerHour = Number(name, value); break;
                default: throw new ArgumentException($"unknown option {name}\n\n{Usage}");
            }
        }

        if (o.FixesPerSecond is <= 0 or > 50)
        {
            throw new ArgumentException("--rate must be above 0 and at most 50");
        }

        return o;
    }

    private static int Whole(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{name} needs a whole number");

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new ArgumentException($"{name} needs a number");
}
