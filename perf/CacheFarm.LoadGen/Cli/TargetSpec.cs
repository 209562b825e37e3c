namespace CacheFarm.LoadGen.Cli;

/// <summary>One server to measure, as given by <c>--target KIND=ADDRESS</c>; a bulk target also names its bulk-read listener.</summary>
internal sealed record TargetSpec(TargetKind Kind, LoopbackEndpoint Endpoint, LoopbackEndpoint? BulkEndpoint = null)
{
    public string Name => Kind switch
    {
        TargetKind.Cachefarmd => "cachefarmd",
        TargetKind.CachefarmdBulk => "cachefarmd-bulk",
        _ => "redis",
    };

    public static bool TryParse(string text, out TargetSpec? spec, out string error)
    {
        spec = null;
        var equals = text.IndexOf('=');
        if (equals <= 0)
        {
            error = $"--target expects KIND=ADDRESS (cachefarmd=http://127.0.0.1:PORT, cachefarmd-bulk=http://127.0.0.1:PORT,127.0.0.1:BULKPORT or redis=127.0.0.1:PORT), got '{text}'";
            return false;
        }
        var kindText = text[..equals];
        var address = text[(equals + 1)..];
        LoopbackEndpoint endpoint;
        switch (kindText)
        {
            case "cachefarmd":
                if (!LoopbackEndpoint.TryParseGrpc(address, out endpoint, out error))
                {
                    return false;
                }
                spec = new TargetSpec(TargetKind.Cachefarmd, endpoint);
                return true;
            case "cachefarmd-bulk":
                var comma = address.IndexOf(',');
                if (comma <= 0)
                {
                    error = $"cachefarmd-bulk expects http://127.0.0.1:PORT,127.0.0.1:BULKPORT, got '{address}'";
                    return false;
                }
                if (!LoopbackEndpoint.TryParseGrpc(address[..comma], out endpoint, out error)
                    || !LoopbackEndpoint.TryParseRedis(address[(comma + 1)..], out var bulk, out error))
                {
                    return false;
                }
                if (bulk.IsUnixSocket)
                {
                    error = "the bulk-read listener is TCP: give 127.0.0.1:BULKPORT";
                    return false;
                }
                spec = new TargetSpec(TargetKind.CachefarmdBulk, endpoint, bulk);
                return true;
            case "redis":
                if (!LoopbackEndpoint.TryParseRedis(address, out endpoint, out error))
                {
                    return false;
                }
                spec = new TargetSpec(TargetKind.Redis, endpoint);
                return true;
            default:
                error = $"unknown target kind '{kindText}'; use cachefarmd, cachefarmd-bulk or redis";
                return false;
        }
    }
}
