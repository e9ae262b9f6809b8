/// The spotlog release this build is.
public enum SpotlogVersion {
    public static let current = "0.1.0"
}
