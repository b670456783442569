using TapSensor.Replay;

return ReplayCommand.Run(args);
