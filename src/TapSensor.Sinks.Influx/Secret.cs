using System.ComponentModel;
using System.Globalization;

namespace TapSensor.Sinks.Influx;

/// <summary>
/// A credential (API token, password) that never shows up in text: <see cref="ToString"/> gives <c>***</c>,
/// so a secret interpolated into a log message or an exception stays hidden. Only the code that builds the
/// Authorization header reads <see cref="Reveal"/>. Configuration binds it from a string (environment variable
/// <c>TAPSENSOR__INFLUX__TOKEN</c>) through its type converter. Telegraf types its tokens the same way
/// (config.Secret).
/// </summary>
[TypeConverter(typeof(SecretConverter))]
internal sealed class Secret
{
    private readonly string _value;

    public Secret(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    public bool IsEmpty => _value.Length == 0;

    /// <summary>The credential itself: for the Authorization header, nothing else.</summary>
    internal string Reveal() => _value;

    public override string ToString() => "***";

    /// <summary>Reads a secret from a file: the first line, without surrounding white space (files usually end with a newline).</summary>
    public static Secret FromFile(string path)
    {
        string text = File.ReadAllText(path);
        int newline = text.IndexOfAny(['\r', '\n']);
        return new Secret((newline >= 0 ? text[..newline] : text).Trim());
    }

    private sealed class SecretConverter : TypeConverter
    {
        public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
            sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

        public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
            value is string s ? new Secret(s.Trim()) : base.ConvertFrom(context, culture, value);

        public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
            destinationType == typeof(string) ? "***" : base.ConvertTo(context, culture, value, destinationType);
    }
}
