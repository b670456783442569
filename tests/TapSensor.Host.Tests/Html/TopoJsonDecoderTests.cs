using System.Text;
using TapSensor.Host.Html;

namespace TapSensor.Host.Tests.Html;

public sealed class TopoJsonDecoderTests
{
    // Quantized: scale 0.5°, origin (-180, -90). Arc 0 runs (0,0) → (10,0) → (10,10), arc 1 back via (0,10) to (0,0),
    // arc 2 is a closed 1° square at (-130,-40). Positions after the first are deltas.
    private const string Quantized = """
        {"type":"Topology","transform":{"scale":[0.5,0.5],"translate":[-180,-90]},
         "arcs":[[[360,180],[20,0],[0,20]],[[380,200],[-20,0],[0,-20]],[[100,100],[2,0],[0,2],[-2,0],[0,-2]]],
         "objects":{"countries":{"type":"GeometryCollection","geometries":[
           {"type":"Polygon","arcs":[[0,1]],"id":"276","properties":{"name":"Square"}},
           {"type":"Polygon","arcs":[[-2,-1]],"id":4},
           {"type":"MultiPolygon","arcs":[[[0,1]],[[2]]],"properties":{"name":"Two parts"}},
           {"type":"Polygon","arcs":[[0,1],[2]]},
           {"type":"LineString","arcs":[0]},
           {"type":null}
         ]}}}
        """;

    private static IReadOnlyList<CountryShape> Decode(string json, string objectName = "countries") =>
        TopoJsonDecoder.Decode(Encoding.UTF8.GetBytes(json), objectName);

    [Fact]
    public void Quantized_delta_encoded_arcs_are_joined_into_one_closed_ring_in_tenths_of_a_degree()
    {
        var square = Decode(Quantized)[0];
        // (0,0) (10,0) (10,10) (0,10): x = (lon + 180) * 10, y = (90 - lat) * 10; the shared point between arcs once
        Assert.Equal("M1800 900l100 0 0 -100 -100 0z", square.PathData);
        Assert.Equal("276", square.Id);
        Assert.Equal("Square", square.Name);
    }

    [Fact]
    public void A_negative_arc_index_walks_arc_ones_complement_backwards()
    {
        var reversed = Decode(Quantized)[1]; // [~1, ~0]: arc 1 backwards, then arc 0 backwards
        Assert.Equal("M1800 900l0 -100 100 0 0 100z", reversed.PathData);
        Assert.Equal("4", reversed.Id); // a numeric id is kept as written
        Assert.Null(reversed.Name);
    }

    [Fact]
    public void A_multipolygon_is_one_path_with_a_subpath_per_polygon_and_holes_are_further_subpaths()
    {
        var shapes = Decode(Quantized);
        Assert.Equal("M1800 900l100 0 0 -100 -100 0zM500 1300l10 0 0 -10 -10 0z", shapes[2].PathData);
        Assert.Equal("Two parts", shapes[2].Name);
        Assert.Equal(shapes[2].PathData, shapes[3].PathData); // exterior ring and a second ring of one polygon
    }

    [Fact]
    public void Lines_and_null_geometries_are_left_out()
    {
        Assert.Equal(4, Decode(Quantized).Count);
    }

    [Fact]
    public void Without_a_transform_positions_are_absolute_longitude_and_latitude()
    {
        const string json = """
            {"type":"Topology","arcs":[[[8.68,50.11],[9.0,50.0],[9.0,51.0],[8.68,50.11]]],
             "objects":{"land":{"type":"Polygon","arcs":[[0]]}}}
            """;
        var shape = Assert.Single(Decode(json, "land"));
        Assert.Equal("M1887 399l3 1 0 -10z", shape.PathData); // 188.68° → 1886.8 → 1887, 39.89° → 398.9 → 399
    }

    [Fact]
    public void Points_closer_than_the_map_precision_merge_and_rings_that_collapse_are_dropped()
    {
        const string json = """
            {"type":"Topology","arcs":[
               [[0,0],[0.01,0.01],[0.02,0],[5,0],[5,5],[0,0]],
               [[20,20],[20.01,20],[20.01,20.01],[20,20]]],
             "objects":{"countries":{"type":"GeometryCollection","geometries":[
               {"type":"Polygon","arcs":[[0]],"id":"a"},{"type":"Polygon","arcs":[[1]],"id":"speck"}]}}}
            """;
        var shape = Assert.Single(Decode(json));
        Assert.Equal("a", shape.Id);
        Assert.Equal("M1800 900l50 0 0 -50z", shape.PathData);
    }

    [Fact]
    public void A_ring_across_the_antimeridian_is_unwrapped_and_drawn_again_one_world_over()
    {
        // 170° E to 170° W (= 190° E): the short way round, past the east edge, then the same ring past the west edge.
        const string json = """
            {"type":"Topology","arcs":[[[170,60],[-170,60],[-170,70],[170,70],[170,60]]],
             "objects":{"countries":{"type":"Polygon","arcs":[[0]]}}}
            """;
        Assert.Equal("M3500 300l200 0 0 -100 -200 0zM-100 300l200 0 0 -100 -200 0z", Assert.Single(Decode(json)).PathData);
    }

    [Fact]
    public void A_ring_once_round_the_world_is_closed_along_the_nearer_pole()
    {
        // Around the south pole at 70° S, eastwards in four steps of 90°: it ends a world-width from where it began.
        const string json = """
            {"type":"Topology","arcs":[[[-180,-70],[-90,-70],[0,-70],[90,-70],[180,-70]]],
             "objects":{"countries":{"type":"Polygon","arcs":[[0]]}}}
            """;
        // (180,-70) rounds onto the start (-180 and 180 are one meridian but two map edges): the ring keeps both ends,
        // then runs down to the map's bottom edge (90° S) and back.
        Assert.Equal("M0 1600l900 0 900 0 900 0 900 0 0 200 -3600 0z", Assert.Single(Decode(json)).PathData);
    }

    [Theory]
    [InlineData("""{"type":"FeatureCollection","features":[]}""", "not a TopoJSON topology")]
    [InlineData("""{"type":"Topology","arcs":[],"objects":{}}""", "no object \"countries\"")]
    [InlineData("""{"type":"Topology","objects":{"countries":{"type":"Polygon","arcs":[[0]]}}}""", "no arcs array")]
    [InlineData("""{"type":"Topology","arcs":[[[0,0],[1,1]]],"objects":{"countries":{"type":"Polygon","arcs":[[3]]}}}""", "arc index 3 is out of range (1 arcs)")]
    [InlineData("""{"type":"Topology","arcs":[[[0,0],[1,1]]],"objects":{"countries":{"type":"Polygon","arcs":[[-2]]}}}""", "arc index -2 is out of range (1 arcs)")]
    [InlineData("""{"type":"Topology","transform":{"scale":[1]},"arcs":[],"objects":{"countries":{"type":"Polygon","arcs":[]}}}""", "scale is not a pair")]
    [InlineData("""{"type":"Topology","arcs":[[[0,"x"]]],"objects":{"countries":{"type":"Polygon","arcs":[]}}}""", "arc 0 position 0")]
    [InlineData("{not json", "not JSON")]
    public void What_is_not_a_topology_of_polygons_is_a_format_error_that_says_why(string json, string reason)
    {
        var e = Assert.Throws<FormatException>(() => Decode(json));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
