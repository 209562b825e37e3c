using System.Net;
using StackExchange.Redis;

namespace CacheFarm.Daemon.Storage.Remote;

/// <summary>Turns the Redis setting into StackExchange.Redis options: sccache's redis:// URLs or a native connection string.</summary>
/// <remarks>
/// sccache users have <c>redis://[user[:password]@]host[:port][/db]</c> (<c>rediss://</c> for TLS, <c>tcp://</c>
/// as newer sccache writes plain endpoints) and
/// comma-separated URL lists for clusters; StackExchange.Redis users have <c>host:port,password=…,ssl=true</c>.
/// Both may be mixed; several endpoints let StackExchange.Redis discover a cluster.
/// </remarks>
internal static class RedisConnectionString
{
    /// <summary>Null when <paramref name="text"/> parses, else what is wrong with it.</summary>
    public static string? Problem(string text)
    {
        try
        {
            Parse(text);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            return e.Message;
        }
    }

    /// <exception cref="ArgumentException">No endpoint, or an option StackExchange.Redis does not know.</exception>
    public static ConfigurationOptions Parse(string text)
    {
        var native = new List<string>();
        var urls = new List<Uri>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || part.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase)
                || part.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
            {
                urls.Add(new Uri(part));
            }
            else
            {
                native.Add(part);
            }
        }
        var options = native.Count > 0 ? ConfigurationOptions.Parse(string.Join(',', native)) : new ConfigurationOptions();
        foreach (var url in urls)
        {
            options.EndPoints.Add(url.Host, url.IsDefaultPort || url.Port < 0 ? 6379 : url.Port);
            if (url.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase))
            {
                options.Ssl = true;
            }
            if (url.UserInfo.Length > 0)
            {
                var colon = url.UserInfo.IndexOf(':');
                var user = WebUtility.UrlDecode(colon < 0 ? url.UserInfo : url.UserInfo[..colon]);
                var password = colon < 0 ? null : WebUtility.UrlDecode(url.UserInfo[(colon + 1)..]);
                // redis://:password@host is the classic password-only form.
                options.User = user.Length > 0 && password is not null ? user : options.User;
                options.Password = password ?? user;
            }
            if (url.AbsolutePath.Trim('/') is { Length: > 0 } db && int.TryParse(db, out var database))
            {
                options.DefaultDatabase = database;
            }
        }
        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException($"no Redis endpoint in '{text}'");
        }
        return options;
    }
}
