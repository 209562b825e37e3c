using CacheFarm.Daemon.Security;

namespace CacheFarm.Daemon.Services.BulkReads;

/// <summary>The daemon's token table as the bulk-read listener sees it; a null table means the daemon has no tokens.</summary>
internal sealed record BulkReadTokens(TokenTable? Table);
