// The stack, the image and the scripts they run are Linux things; so are these tests (file modes, setcap, bash).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
