using TapSensor.Docker.Tests.Infrastructure;

namespace TapSensor.Docker.Tests;

/// <summary>docker/compose.yaml through <c>docker-compose config</c>: valid with .env.example, and its failures are the helpful kind.</summary>
public sealed class ComposeConfigTests
{
    [Fact]
    public void The_stack_is_valid_with_the_example_env_file_and_nothing_from_the_shell()
    {
        using var compose = Compose.Repository();

        var r = compose.Config();

        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Equal("", r.StdOut);
    }

    [Theory]
    [InlineData("INFLUX_TOKEN", "set INFLUX_TOKEN in docker/.env")]
    [InlineData("TAPSENSOR_INTERFACE", "set TAPSENSOR_INTERFACE in docker/.env to the mirror interface")]
    [InlineData("GRAFANA_ADMIN_PASSWORD", "set GRAFANA_ADMIN_PASSWORD in docker/.env")]
    [InlineData("INFLUX_ADMIN_PASSWORD", "set INFLUX_ADMIN_PASSWORD in docker/.env")]
    [InlineData("INFLUX_DB", "set INFLUX_DB in docker/.env")]
    public void A_missing_required_variable_fails_and_says_which_one(string variable, string message)
    {
        using var compose = Compose.Copy();
        compose.RemoveVariable(variable);

        var r = compose.Config();

        Assert.Equal(1, r.ExitCode);
        Assert.Contains(message, r.StdErr);
    }

    [Fact]
    public void Capabilities_given_as_a_string_are_refused()
    {
        using var compose = Compose.Copy();
        compose.EditCompose("cap_add: [NET_RAW, NET_ADMIN]", "cap_add: NET_RAW");

        var r = compose.Config();

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("services.tapsensor.cap_add contains an invalid type, it should be an array", r.StdErr);
    }

    [Fact]
    public void A_misspelt_healthcheck_key_is_refused()
    {
        using var compose = Compose.Copy();
        compose.EditCompose("      interval: 10s", "      intervall: 10s");

        var r = compose.Config();

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("intervall", r.StdErr);
    }

    [Fact]
    public void Values_come_from_the_env_file()
    {
        using var compose = Compose.Copy();
        File.AppendAllText(compose.EnvExample, "\nTAPSENSOR_INTERFACE=enp3s0\n");

        var config = compose.Resolved();

        var command = config.GetProperty("services").GetProperty("tapsensor").GetProperty("command").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["capture", "-i", "enp3s0", "--config", "/etc/tapsensor/tapsensor.json"], command);
    }
}
