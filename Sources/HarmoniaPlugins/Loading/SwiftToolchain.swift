import CHarmoniaPluginABI

/// The build signatures this server accepts.
///
/// A Swift plugin shares the server's Swift runtime, so it must come from the very
/// toolchain the server was built with. The ladder is the same as HarmoniaPluginKit's
/// `BuildSignature` (the server does not link the SDK: no Swift module may be shared with
/// plugins); keep the two in step.
enum SwiftToolchain {
    static let version: String = {
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

    /// `harmonia-abi-1;swift-<version>`: the only Swift signature accepted.
    static let swiftSignature = HARMONIA_SIGNATURE_SWIFT_PREFIX + version
    /// `harmonia-abi-1;c`.
    static let cSignature = HARMONIA_SIGNATURE_C
}
