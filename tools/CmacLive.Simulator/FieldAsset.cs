namespace CmacLive.Simulator;

public enum Kind
{
    Team,
    Machine,
    Dog,
    Rat,
}

/// <summary>
/// One simulated asset and how it moves: teams and machines work lanes back and forth, dogs and rats
/// search boxes; all rest now and then, and sometimes someone raises an SOS.
/// </summary>
public sealed class FieldAsset
{
    private readonly Random _random;
    private readonly double _speed;
    private readonly double _laneWidth;
    private readonly (double East, double North, double Width, double Height) _block;
    private double _east;
    private double _north;
    private int _direction = 1;
    private double _heading;

    public FieldAsset(string id, Kind kind, int index, int seed)
    {
        Id = id;
        Kind = kind;
        _random = new Random(seed);
        (_speed, _laneWidth) = kind switch
        {
            Kind.Team => (0.25, 1.0),
            Kind.Machine => (0.15, 2.5),
            Kind.Dog => (0.9, 10.0),
            _ => (0.3, 5.0),
        };

        // Each asset gets its own block of the area to search.
        var column = index % 8;
        var row = index / 8 % 6;
        _block = (10 + column * 48, 10 + row * 48, 40, 40);
        _east = _block.East;
        _north = _block.North;
    }

    public string Id { get; }

    public Kind Kind { get; }

    public string State { get; private set; } = "working";

    public int Battery { get; private set; } = 100;

    public DateTimeOffset? SosUntil { get; private set; }

    public DateTimeOffset? RestUntil { get; private set; }

    public (double East, double North) Position => (_east, _north);

    public double Speed => State == "working" ? _speed : 0;

    public double Heading => _heading;

    public string Sensor => Kind switch
    {
        Kind.Dog => "dog",
        Kind.Rat => "rat",
        Kind.Machine => "metal",
        _ => _random.NextDouble() < 0.5 ? "metal" : "dual",
    };

    /// <summary>Moves on by <paramref name="seconds"/>; answers a changed state, if any.</summary>
    public string? Step(double seconds, DateTimeOffset now, double sosPerHour)
    {
        string? changed = null;
        if (SosUntil is { } sos && now >= sos)
        {
            SosUntil = null;
            changed = State = "working";
        }
        else if (RestUntil is { } rest && now >= rest)
        {
            RestUntil = null;
            changed = State = "working";
        }
        else if (State == "working" && _random.NextDouble() < sosPerHour * seconds / 3600)
        {
            SosUntil = now.AddSeconds(30);
            changed = State = "sos";
        }
        else if (State == "working" && _random.NextDouble() < seconds / 1800)
        {
            RestUntil = now.AddMinutes(Kind is Kind.Dog or Kind.Rat ? 2 : 1);
            changed = State = "resting";
        }

        if (_random.NextDouble() < seconds / 600)
        {
            Battery = Math.Max(5, Battery - 1);
        }

        if (State != "working")
        {
            return changed;
        }

        var distance = _speed * seconds;
        _east += _direction * distance;
        _heading = _direction > 0 ? 90 : 270;
        if (_east > _block.East + _block.Width || _east < _block.East)
        {
            _east = Math.Clamp(_east, _block.East, _block.East + _block.Width);
            _direction = -_direction;
            _north += _laneWidth;
            if (_north > _block.North + _block.Height)
            {
                _north = _block.North;
            }
        }

        return changed;
    }

    /// <summary>A possible item now and then while working.</summary>
    public bool Detects(double seconds) => State == "working" && _random.NextDouble() < seconds / 240;

    public double DetectionDepthCm() => Math.Round(5 + _random.NextDouble() * 25, 1);
}
