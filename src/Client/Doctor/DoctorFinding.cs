namespace CacheFarm.Client.Doctor;

/// <summary>One thing <c>cachefarm doctor</c> found: what it is, the evidence, and the fix.</summary>
public sealed record DoctorFinding(string Area, DoctorSeverity Severity, string Title, IReadOnlyList<string> Details, string Fix = "");

/// <summary>How much a finding matters: a problem costs time or correctness now; advice is worth checking; ok says a check passed.</summary>
public enum DoctorSeverity
{
    Ok,
    Advice,
    Problem,
}
