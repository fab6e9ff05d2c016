using CmacLive.Assets;

namespace CmacLive;

/// <summary>A setting with one value per asset kind (configuration keys <c>…:Team</c>, <c>…:Machine</c>, <c>…:Dog</c>, <c>…:Rat</c>).</summary>
public sealed class PerKind<T>
    where T : struct
{
    public T Team { get; set; }

    public T Machine { get; set; }

    public T Dog { get; set; }

    public T Rat { get; set; }

    public T For(AssetKind kind) => kind switch
    {
        AssetKind.Machine => Machine,
        AssetKind.Dog => Dog,
        AssetKind.Rat => Rat,
        _ => Team,
    };
}
