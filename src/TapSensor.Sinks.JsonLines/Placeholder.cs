namespace TapSensor.Sinks.JsonLines; internal static class Placeholder { }
