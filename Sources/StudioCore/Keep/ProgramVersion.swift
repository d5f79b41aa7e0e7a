/// The program's version, as written into run manifests. One home: bump it here.
public enum ProgramVersion {
    public static let current = "0.5.0"
}
