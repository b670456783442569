namespace TapSensor.Testing.Pcap;

/// <summary>One captured frame: its link type, time, captured bytes and length on the wire.</summary>
public readonly record struct PcapRecord(int LinkType, long TimestampNs, ReadOnlyMemory<byte> Data, int WireLength);
