using CacheFarm.Protos.V1;
using Google.Protobuf;

namespace CacheFarm.Daemon.Storage;

/// <summary>Reads back an entry a tier stored: bytes that do not parse are a corrupt record, not an error.</summary>
internal static class StoredEntry
{
    public static bool TryParse(ReadOnlySpan<byte> payload, out Entry entry)
    {
        try
        {
            entry = Entry.Parser.ParseFrom(payload);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            entry = new Entry();
            return false;
        }
    }
}
