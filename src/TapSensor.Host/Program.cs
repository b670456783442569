using TapSensor.Host;

return await TapSensorCli.RunAsync(args).ConfigureAwait(false);
