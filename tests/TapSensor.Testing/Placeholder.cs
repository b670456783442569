namespace TapSensor.Testing; internal static class Placeholder { }
