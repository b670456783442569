namespace TapSensor.Capture; internal static class Placeholder { }
