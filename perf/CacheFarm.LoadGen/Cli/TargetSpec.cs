namespace CacheFarm.LoadGen.Cli;

/// <summary>One server to measure, as given by <c>--target KIND=ADDRESS</c>.</summary>
internal sealed record TargetSpec(TargetKind Kind, LoopbackEndpoint Endpoint)
{
    public string Name => Kind == TargetKind.Cachefarmd ? "cachefarmd" : "redis";

    public static bool TryParse(string text, out TargetSpec? spec, out string error)
    {
        spec = null;
        var equals = text.IndexOf('=');
        if (equals <= 0)
        {
            error = $"--target expects KIND=ADDRESS (cachefarmd=http://127.0.0.1:PORT or redis=127.0.0.1:PORT), got '{text}'";
            return false;
        }
        var kindText = text[..equals];
        var address = text[(equals + 1)..];
        LoopbackEndpoint endpoint;
        TargetKind kind;
        if (kindText == "cachefarmd")
        {
            kind = TargetKind.Cachefarmd;
            if (!LoopbackEndpoint.TryParseGrpc(address, out endpoint, out error))
            {
                return false;
            }
        }
        else if (kindText == "redis")
        {
            kind = TargetKind.Redis;
            if (!LoopbackEndpoint.TryParseRedis(address, out endpoint, out error))
            {
                return false;
            }
        }
        else
        {
            error = $"unknown target kind '{kindText}'; use cachefarmd or redis";
            return false;
        }
        spec = new TargetSpec(kind, endpoint);
        return true;
    }
}
