using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems.Transformations;

namespace CmacLive.Geo;

/// <summary>Applies a coordinate transformation to a copy of a geometry.</summary>
public static class GeometryTransform
{
    public static Geometry Apply(Geometry source, MathTransform transform)
    {
        var copy = source.Copy();
        copy.Apply(new TransformFilter(transform));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class TransformFilter(MathTransform transform) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = transform.Transform(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
