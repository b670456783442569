namespace TapSensor.Sample; internal static class Placeholder { }
