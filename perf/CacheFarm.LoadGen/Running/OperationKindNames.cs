namespace CacheFarm.LoadGen.Running;

/// <summary>The names operation kinds have in reports.</summary>
internal static class OperationKindNames
{
    public static string Of(OperationKind kind) => kind switch
    {
        OperationKind.Read => "read",
        OperationKind.Write => "write",
        OperationKind.FindMissing => "find-missing",
        OperationKind.GetEntry => "get-entry",
        _ => kind.ToString(),
    };
}
