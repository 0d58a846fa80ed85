import CHarmoniaPluginABI

/// The build signature a Swift plugin declares: the ABI major and the exact Swift
/// toolchain, because a Swift plugin shares the host's Swift runtime and must come from
/// the same toolchain. The host computes the same string the same way and refuses others.
public enum BuildSignature {
    /// The Swift compiler version this module was built with, from compile-time checks.
    /// Extend the ladder when a new toolchain ships (an unknown newer one reports
    /// "unknown", which the host treats as a mismatch unless it is unknown too).
    public static let swiftToolchain: String = {
        #if compiler(>=6.5)
        return "unknown"
        #elseif compiler(>=6.4.2)
        return "6.4.2"
        #elseif compiler(>=6.4.1)
        return "6.4.1"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3.3)
        return "6.3.3"
        #elseif compiler(>=6.3.2)
        return "6.3.2"
        #elseif compiler(>=6.3.1)
        return "6.3.1"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2.3)
        return "6.2.3"
        #elseif compiler(>=6.2.2)
        return "6.2.2"
        #elseif compiler(>=6.2.1)
        return "6.2.1"
        #elseif compiler(>=6.2)
        return "6.2"
        #else
        return "unknown"
        #endif
    }()

    /// `harmonia-abi-1;swift-6.3.1`.
    public static var swift: String { HARMONIA_SIGNATURE_SWIFT_PREFIX + swiftToolchain }
}
